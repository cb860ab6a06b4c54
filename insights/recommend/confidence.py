"""What a recommendation's confidence means, written once: the probability that the effect it
claims points the way it says.

Every effect is a difference of means on the log scale (so exp(effect) is a ratio: "1.38× your usual
engagement rate"). Its standard error comes from a bootstrap over the posts (or weeks): resample each
side with replacement, a fixed seed, so a rerun on the same data gives the same numbers. The estimate
is then shrunk toward "no effect" by a normal prior (most posting choices change engagement by tens
of percent, not by multiples) and, with prior probability 1/2, by nothing at all: the posterior
P(the effect is real and points the claimed way) is the confidence, 0 … 1. Thin data has a wide bootstrap spread, so the prior dominates and the confidence stays
low; picking the best of many blocks is no longer a trap, because a posterior
does not care which estimate was selected. docs/insights-recommendations.md measures it
(scripts/calibrate_recommendations.py): claims made at confidence c are right about c of the time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

BOOTSTRAP = 1000            # resamples: the interval bounds move < 1 % between seeds at this size
SEED = 12                   # fixed: reruns on the same data are identical
PRIOR_SD = 0.25             # log-ratio prior of a real effect: 95 % within ×0.61 … ×1.63
NULL_SHARE = 0.5            # prior share of choices that make no difference at all
HIGH, MEDIUM = 0.9, 0.7     # confidence_label cut-offs: high ≥ 0.9, medium ≥ 0.7, else low
Z95 = stats.norm.ppf(0.975)


@dataclass(frozen=True)
class Effect:
    """A claimed effect and its evidence (log scale inside, ratios outside)."""

    estimate: float     # raw log effect (difference of means)
    se: float           # bootstrap standard error (small-sample corrected)
    low: float          # 95 % percentile-bootstrap interval of the raw log effect
    high: float
    shrunk: float       # posterior mean
    confidence: float   # posterior P(the effect is real and has the sign of `estimate`), 0 … 1
    n_in: int
    n_out: int
    prior_sd: float

    @property
    def ratio(self) -> float:
        return float(np.exp(self.estimate))

    @property
    def direction(self) -> str:
        return "up" if self.estimate >= 0 else "down"

    @property
    def label(self) -> str:
        return label(self.confidence)

    def evidence(self) -> dict:
        """The numbers insight_data stores (ratios rounded for reading, the log values exact)."""
        return {"ratio": round(self.ratio, 4), "ratio_low_95": round(float(np.exp(self.low)), 4),
                "ratio_high_95": round(float(np.exp(self.high)), 4), "shrunk_ratio": round(float(np.exp(self.shrunk)), 4),
                "log_effect": self.estimate, "log_se": self.se, "n": self.n_in, "n_baseline": self.n_out,
                "prior_sd": self.prior_sd, "p_claimed_direction": self.confidence,
                "bootstrap": BOOTSTRAP, "seed": SEED}


def label(confidence: float) -> str:
    return "high" if confidence >= HIGH else "medium" if confidence >= MEDIUM else "low"


def posterior(estimate: float, se: float, prior_sd: float = PRIOR_SD, null_share: float = NULL_SHARE
              ) -> tuple[float, float]:
    """Spike-and-slab prior: with probability `null_share` no effect at all, else N(0, prior_sd²).
    Returns (posterior mean, P(the effect is real and has the sign of `estimate`)). A claim about an
    effect that is exactly nothing is wrong, so the spike is what keeps nulls at low confidence."""
    se = se if np.isfinite(se) and se > 0 else 1e-9
    slab_var = prior_sd**2 + se**2
    log_null = stats.norm.logpdf(estimate, 0.0, se) + np.log(null_share)
    log_slab = stats.norm.logpdf(estimate, 0.0, np.sqrt(slab_var)) + np.log(1.0 - null_share)
    p_real = float(1.0 / (1.0 + np.exp(np.clip(log_null - log_slab, -700, 700))))
    weight = prior_sd**2 / slab_var
    mean, sd = estimate * weight, np.sqrt(weight) * se
    p_up = float(stats.norm.cdf(mean / sd))
    same_sign = p_up if estimate >= 0 else 1.0 - p_up
    return float(p_real * mean), p_real * same_sign


def _boot_means(values: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    n = len(values)
    return values[rng.integers(0, n, size=(BOOTSTRAP, n))].mean(axis=1)


def two_sample(inside, outside, prior_sd: float = PRIOR_SD, seed: int = SEED) -> Effect | None:
    """mean(inside) − mean(outside) of log values; None when a side has fewer than 2 values."""
    a, b = np.asarray(inside, dtype=float), np.asarray(outside, dtype=float)
    a, b = a[np.isfinite(a)], b[np.isfinite(b)]
    if len(a) < 2 or len(b) < 2:
        return None
    rng = np.random.default_rng(seed)
    ma, mb = _boot_means(a, rng), _boot_means(b, rng)
    # the bootstrap variance of a mean is (n−1)/n of the unbiased one: undo it; and a 3-post side can
    # look quiet by chance, so the spread of all the posts together is a floor (the noise is shared)
    se = float(np.sqrt(ma.var() * len(a) / (len(a) - 1) + mb.var() * len(b) / (len(b) - 1)))
    pooled = float(np.concatenate([a, b]).std(ddof=1)) * np.sqrt(1 / len(a) + 1 / len(b))
    se = max(se, pooled)
    diffs = ma - mb
    estimate = float(a.mean() - b.mean())
    shrunk, confidence = posterior(estimate, se, prior_sd)
    low, high = np.quantile(diffs, [0.025, 0.975])
    return Effect(estimate, se, float(low), float(high), shrunk, confidence, len(a), len(b), prior_sd)


def slope(x, y, prior_sd: float, seed: int = SEED) -> Effect | None:
    """Least-squares slope of y on x with a bootstrap over the (x, y) points; None when fewer than 4
    points or x does not vary."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    keep = np.isfinite(x) & np.isfinite(y)
    x, y = x[keep], y[keep]
    if len(x) < 4 or np.ptp(x) == 0:
        return None
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(x), size=(BOOTSTRAP, len(x)))
    bx, by = x[idx], y[idx]
    bxc = bx - bx.mean(axis=1, keepdims=True)
    denom = (bxc**2).sum(axis=1)
    ok = denom > 0
    slopes = (bxc * (by - by.mean(axis=1, keepdims=True))).sum(axis=1)[ok] / denom[ok]
    estimate = float(np.polyfit(x, y, 1)[0])
    se = float(slopes.std() * np.sqrt(len(x) / (len(x) - 1)))
    shrunk, confidence = posterior(estimate, se, prior_sd)
    low, high = np.quantile(slopes, [0.025, 0.975])
    return Effect(estimate, se, float(low), float(high), shrunk, confidence, len(x), 0, prior_sd)
