"""The statistics of an A/B test, each formula once.

- `chi_square`: the test of independence on the variants' success/failure counts, by
  `scipy.stats.chi2_contingency` with its default `correction=True`: Yates' continuity correction
  applies to 2×2 tables (one degree of freedom) and to nothing else (scipy skips it when dof > 1).
  We keep it because tests may end with small counts, where uncorrected Pearson is anti-conservative.
- `lift_interval`: lift = (p_b − p_a) / p_a, its interval from the delta method on the log of the
  rate ratio (Katz): se = sqrt(1/s_a − 1/n_a + 1/s_b − 1/n_b), then exp(log RR ± z·se) − 1.
- `sample_per_variant`: trials per variant a two-sided two-proportion z-test needs to detect the
  observed difference at level α with power 0.8 (Fleiss, no continuity correction).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

POWER = 0.8


@dataclass(frozen=True)
class ChiSquare:
    statistic: float  # NaN when a row or a column of the table is all zeros (the test is undefined)
    p_value: float
    dof: int
    correction: bool  # True when Yates' correction was applied (2×2 tables only)
    min_expected: float  # below 5 the chi-square approximation is rough


def chi_square(successes, trials) -> ChiSquare:
    """The chi-square test of independence of variant × (success, failure)."""
    s = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    if s.shape != n.shape or s.ndim != 1 or len(s) < 2:
        raise ValueError("successes and trials: one count per variant, at least 2 variants")
    if np.any(s < 0) or np.any(s > n):
        raise ValueError("each variant needs 0 <= successes <= trials")
    table = np.column_stack([s, n - s])
    dof = len(s) - 1
    if np.any(table.sum(axis=0) == 0) or np.any(table.sum(axis=1) == 0):
        return ChiSquare(math.nan, math.nan, dof, False, 0.0)
    result = stats.chi2_contingency(table)  # correction=True: Yates for 2×2, nothing for 2×k
    return ChiSquare(float(result.statistic), float(result.pvalue), int(result.dof), bool(dof == 1),
                     float(result.expected_freq.min()))


def lift(successes_a: float, trials_a: float, successes_b: float, trials_b: float) -> float:
    """(p_b − p_a) / p_a; NaN when the control rate is unknown or zero."""
    if trials_a <= 0 or trials_b <= 0 or successes_a <= 0:
        return math.nan
    return (successes_b / trials_b) / (successes_a / trials_a) - 1


def lift_interval(successes_a: float, trials_a: float, successes_b: float, trials_b: float,
                  confidence: float) -> tuple[float, float]:
    """Two-sided interval of the lift (delta method on log RR); NaN when a variant has no success."""
    if min(successes_a, successes_b) <= 0 or min(trials_a, trials_b) <= 0:
        return math.nan, math.nan
    log_ratio = math.log((successes_b / trials_b) / (successes_a / trials_a))
    se = math.sqrt(1 / successes_a - 1 / trials_a + 1 / successes_b - 1 / trials_b)
    z = stats.norm.ppf(0.5 + confidence / 2)
    return math.exp(log_ratio - z * se) - 1, math.exp(log_ratio + z * se) - 1


def sample_per_variant(rate_a: float, rate_b: float, alpha: float, power: float = POWER) -> float:
    """Trials per variant to detect rate_a vs rate_b (two-sided z-test); NaN when they are equal."""
    if not (0 <= rate_a <= 1 and 0 <= rate_b <= 1) or rate_a == rate_b:
        return math.nan
    mean = (rate_a + rate_b) / 2
    z_alpha, z_power = stats.norm.ppf(1 - alpha / 2), stats.norm.ppf(power)
    root = (z_alpha * math.sqrt(2 * mean * (1 - mean))
            + z_power * math.sqrt(rate_a * (1 - rate_a) + rate_b * (1 - rate_b)))
    return math.ceil(root**2 / (rate_a - rate_b) ** 2)
