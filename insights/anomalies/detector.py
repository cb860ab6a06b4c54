"""Robust anomaly detection on daily (or hourly) series: expected value, band, signed score, reason.

A point is anomalous when its robust z — (value − expected) / robust σ, both learnt from the
trailing window only (insights/anomalies/baseline.py) — exceeds the threshold and the value is at
least `min_change` away from the expected one. Counts are judged on the log scale (a weekday
profile and a viral week are multiplicative); series with a negative value (followers_net) on
the raw scale. docs/insights-anomalies.md explains the method and its evaluation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from insights.anomalies.baseline import (
    MIN_RESIDUALS,
    expected_values,
    normal_equivalent,
    robust_scale,
    t_quantile_factor,
    window_steps,
)
from insights.anomalies.reason import reasons
from insights.frames import InsightsInputError
from insights.series import infer_freq, regularize

RESULT_COLUMNS = ("series_id", "ds", "y", "expected", "lower", "upper", "ratio", "score", "severity",
                  "direction", "is_anomaly", "reason")
METHOD = "seasonal_median_mad"   # marts.mart_anomalies.method for rows from `detect`
# a perfectly flat past has σ = 0: below this σ (log scale: 0.1 %; raw scale: 0.1 % of the level)
# a change is not infinitely surprising
MIN_SCALE = 1e-3


@dataclass(frozen=True)
class DetectorSettings:
    # 3.5 is Iglewicz & Hoaglin's cut-off for the modified (MAD-based) z: under normal noise
    # P(|z| > 3.5) ≈ 1 in 2,000 points, i.e. one false alarm per account-metric every ~6 years of days
    threshold: float = 3.5
    window: int = 28            # trailing steps the baseline learns from (rounded up to ≥ 3 whole seasons)
    min_history: int = 14       # steps from the series' start before the first point judged
    min_change: float = 0.0     # minimum |value − expected|: tiny series stay quiet
    season_length: int | None = None   # None: 7 for a daily step, 24 for hourly, else 1 (none)
    multiplicative: bool | None = None  # None: log scale unless the series has a negative value


def season_for(step: pd.Timedelta) -> int:
    if step == pd.Timedelta(days=1):
        return 7
    if step == pd.Timedelta(hours=1):
        return 24
    return 1


def minimum_points(settings: DetectorSettings, step: pd.Timedelta) -> int:
    """Known values a series needs before its first point can be judged (and one to judge)."""
    season = settings.season_length or season_for(step)
    return max(settings.min_history, season + MIN_RESIDUALS) + 1


def detect(frame: pd.DataFrame, settings: DetectorSettings = DetectorSettings(), *,
           metric: str = "value") -> pd.DataFrame:
    """One row per known input point old enough to judge (RESULT_COLUMNS); NaN values are skipped."""
    _check(frame, settings)
    if frame.empty:
        return pd.DataFrame(columns=list(RESULT_COLUMNS))
    step = infer_freq(frame)
    season = settings.season_length or season_for(step)
    grid = regularize(frame[["series_id", "ds", "y"]], step)
    parts = [_judge(part, settings, season) for _, part in grid.groupby("series_id", sort=True)]
    judged = pd.concat(parts)
    judged["reason"] = reasons(judged, metric, step)
    return judged[list(RESULT_COLUMNS)].reset_index(drop=True)


def _judge(part: pd.DataFrame, settings: DetectorSettings, season: int) -> pd.DataFrame:
    y = part["y"].to_numpy(dtype=float)
    log_scale = settings.multiplicative
    if log_scale is None:
        log_scale = not (y < 0).any()
    elif log_scale and (y < 0).any():
        raise InsightsInputError(f"series '{part.series_id.iloc[0]}' has negative values: it cannot be judged "
                                 "on the log scale (multiplicative=True); leave multiplicative unset")
    x = np.log1p(y) if log_scale else y
    width = window_steps(settings.window, season)
    centre = expected_values(x, season, width)
    residual = x - centre
    floor = MIN_SCALE if log_scale else MIN_SCALE * np.maximum(np.abs(centre), 1.0)
    scale, known = _learn_scale(residual, y, season, width, floor, settings.threshold)
    score = normal_equivalent(residual / scale, known)
    band = t_quantile_factor(settings.threshold, known) * scale
    back = (lambda v: np.maximum(np.expm1(v), 0.0)) if log_scale else (lambda v: v)
    expected = back(centre)
    lower = np.minimum(back(centre - band), expected - settings.min_change)
    upper = np.maximum(back(centre + band), expected + settings.min_change)
    if log_scale:
        lower = np.maximum(lower, 0.0)
    judged = (~np.isnan(y)) & (np.arange(len(y)) >= settings.min_history) & np.isfinite(score)
    severity = np.abs(score)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(expected > 0, y / expected, np.nan)
    is_anomaly = (severity > settings.threshold) & (np.abs(y - expected) >= settings.min_change)
    out = pd.DataFrame({
        "series_id": part["series_id"].to_numpy(), "ds": part["ds"].to_numpy(), "y": y,
        "expected": expected, "lower": lower, "upper": upper, "ratio": ratio, "score": score,
        "severity": severity, "direction": np.where(score >= 0, "spike", "drop"), "is_anomaly": is_anomaly,
    })
    return out[judged]


def _check(frame: pd.DataFrame, settings: DetectorSettings) -> None:
    missing = [c for c in ("series_id", "ds", "y") if c not in frame.columns]
    if missing:
        raise InsightsInputError(f"the series frame lacks column(s) {', '.join(missing)} (insights/frames.py)")
    if not settings.threshold > 0:
        raise InsightsInputError(f"threshold must be positive, not {settings.threshold}")
    if settings.window < 1 or settings.min_history < 0 or settings.min_change < 0:
        raise InsightsInputError("window must be ≥ 1, min_history and min_change ≥ 0 "
                                 f"(got {settings.window}, {settings.min_history}, {settings.min_change})")
    if settings.season_length is not None and settings.season_length < 1:
        raise InsightsInputError(f"season_length must be ≥ 1, not {settings.season_length}")


def _learn_scale(residual, y, season: int, width: int, floor, threshold: float):
    """The robust σ before each step and how many residuals it comes from (baseline.py)."""
    learnt = residual.copy()
    learnt[: season] = np.nan                  # the first season's baseline is a guess: not learnt from
    # a value equal to the previous one (a stuck feed, rounded counts) has a residual of ~0 that says
    # nothing about the noise: a month of them would shrink σ and flag every normal day after
    learnt[1:][y[1:] == y[:-1]] = np.nan
    sigma, known = _scale(learnt, width, floor)
    # second pass: σ learnt without the residuals the first pass found anomalous (a level shift's
    # first days would otherwise be most of what is left after a stuck month)
    outlying = np.abs(normal_equivalent(learnt / sigma, known)) > threshold
    return _scale(np.where(outlying, np.nan, learnt), width, floor)


def _scale(learnt: np.ndarray, width: int, floor) -> tuple[np.ndarray, np.ndarray]:
    """The robust σ (at least `floor`) and its sample size. When fewer than half the window's residuals
    are left to learn from (a month stuck, a long gap) the last σ learnt from at least half holds, so
    a jump out of a stuck feed is judged with the noise of before, not with a guess from 5 residuals."""
    sigma, known = robust_scale(learnt, width)
    full = known >= max(MIN_RESIDUALS, width // 2)
    last = pd.Series(np.where(full, np.arange(len(sigma)), np.nan)).ffill().to_numpy()
    held = ~full & ~np.isnan(last)
    source = last[held].astype(int)
    sigma[held], known[held] = sigma[source], known[source]
    return np.maximum(sigma, floor), known
