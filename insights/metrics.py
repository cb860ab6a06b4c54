"""Forecast accuracy, written once: sMAPE, MASE and interval coverage (docs/insights.md, "Forecasts").

Every function takes array-likes and ignores pairs whose actual is NaN (an unknown day is never
scored). The backtest, the CLI and the benchmark all score through here, so their numbers agree.
"""

from __future__ import annotations

import numpy as np


def smape(actual, predicted) -> float:
    """mean(2·|y − ŷ| ÷ (|y| + |ŷ|)) × 100, in percent (0..200); a pair with y = ŷ = 0 counts 0.

    NaN when no pair is known."""
    y, f = _known_pairs(actual, predicted)
    if y.size == 0:
        return float("nan")
    denominator = np.abs(y) + np.abs(f)
    terms = np.divide(2 * np.abs(y - f), denominator, out=np.zeros_like(y), where=denominator > 0)
    return float(terms.mean() * 100)


def naive_scale(history, season_length: int = 7) -> float:
    """In-sample MAE of the seasonal naive forecast ŷ_t = y_{t−m}: MASE's denominator.

    Only pairs with both days known count. NaN when no pair exists or the scale is 0 (a series
    that repeats itself exactly: every error would be infinitely many "scales")."""
    h = np.asarray(history, dtype=float)
    if h.size <= season_length:
        return float("nan")
    diffs = np.abs(h[season_length:] - h[:-season_length])
    diffs = diffs[~np.isnan(diffs)]
    if diffs.size == 0 or diffs.mean() == 0:
        return float("nan")
    return float(diffs.mean())


def mase(actual, predicted, history, season_length: int = 7) -> float:
    """MAE of the forecast ÷ naive_scale(history): below 1 beats the in-sample seasonal naive."""
    y, f = _known_pairs(actual, predicted)
    scale = naive_scale(history, season_length)
    if y.size == 0 or np.isnan(scale):
        return float("nan")
    return float(np.abs(y - f).mean() / scale)


def coverage(actual, lower, upper) -> float:
    """Share (0..1) of known actuals inside [lower, upper]; NaN when none is known."""
    y = np.asarray(actual, dtype=float)
    lo = np.asarray(lower, dtype=float)
    hi = np.asarray(upper, dtype=float)
    known = ~np.isnan(y)
    if not known.any():
        return float("nan")
    return float(((y[known] >= lo[known]) & (y[known] <= hi[known])).mean())


def _known_pairs(actual, predicted) -> tuple[np.ndarray, np.ndarray]:
    y = np.asarray(actual, dtype=float)
    f = np.asarray(predicted, dtype=float)
    if y.shape != f.shape:
        raise ValueError(f"actual and predicted differ in length ({y.size} vs {f.size})")
    known = ~np.isnan(y) & ~np.isnan(f)
    return y[known], f[known]
