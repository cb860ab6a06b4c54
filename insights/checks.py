"""Rules of meaning for the insight marts; orchestration/insights/checks.py runs them each build.

A forecast whose bands are out of order or below zero is a wrong number, and a series with enough
history but no forecast is a silent hole: both block the reports that chart them.
"""

from __future__ import annotations

import pandas as pd

BAND_ORDER = ("lower_95", "lower_80", "point", "upper_80", "upper_95")


def band_violations(forecasts: pd.DataFrame) -> pd.DataFrame:
    """Rows whose bands are not nested around the point (95 % ⊇ 80 % ∋ point) or go below 0."""
    if forecasts.empty:
        return forecasts
    ordered = pd.Series(True, index=forecasts.index)
    for low, high in zip(BAND_ORDER, BAND_ORDER[1:], strict=False):
        ordered &= forecasts[low] <= forecasts[high] + 1e-9
    values = forecasts.loc[:, list(BAND_ORDER)]
    return forecasts[~ordered | (values < 0).any(axis=1) | values.isna().any(axis=1)]


def missing_forecasts(series: pd.DataFrame, forecasts: pd.DataFrame, min_points: int, horizon: int) -> list[str]:
    """Series with at least `min_points` known values that lack any of the days 1..horizon."""
    known = series.dropna(subset=["y"]).groupby("series_id").size()
    eligible = set(known[known >= min_points].index)
    if forecasts.empty:
        return sorted(eligible)
    days = forecasts.groupby("series_id")["horizon_days"].agg(lambda h: set(h) >= set(range(1, horizon + 1)))
    complete = set(days[days].index)
    return sorted(eligible - complete)
