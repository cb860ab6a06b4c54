"""One series, made ready to fit: trimmed to its known days, missing days filled, rounding undone.

The raw values (NaN where unknown) are kept next to the fitted ones: the backtest scores only
raw known days, never a filled or smoothed one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from insights.frames import InsightsInputError
from insights.series import infer_freq, regularize


@dataclass(frozen=True)
class PreparedSeries:
    series_id: str
    ds: pd.DatetimeIndex        # daily grid, first known day .. last known day
    raw: np.ndarray             # NaN where unknown
    fit: np.ndarray             # what the models see: gaps filled, steps smoothed
    filled_days: int
    cleaned_days: int           # outlying days (a past spike) replaced for fitting
    rounding_step: float | None  # the last step of a rounded (staircase) series, else None

    @property
    def known_days(self) -> int:
        return int((~np.isnan(self.raw)).sum())


def prepare_all(frame: pd.DataFrame, max_days: int | None = None) -> list[PreparedSeries]:
    """The frame (series_id, ds, y) → one PreparedSeries per series with a known value, by id;
    only its last `max_days` days when given."""
    missing = {"series_id", "ds", "y"} - set(frame.columns)
    if missing:
        raise InsightsInputError("the series frame lacks column(s) " + ", ".join(sorted(missing)))
    frame = frame.assign(series_id=frame["series_id"].astype(str), y=frame["y"].astype(float))
    if frame.duplicated(["series_id", "ds"]).any():
        first = frame[frame.duplicated(["series_id", "ds"])].iloc[0]
        raise InsightsInputError(f"series '{first.series_id}' has {first.ds} more than once")
    known = frame.dropna(subset=["y"]).sort_values(["series_id", "ds"])
    if known.empty:
        return []
    step = infer_freq(known)
    if step != pd.Timedelta(days=1):
        raise InsightsInputError(f"forecasts need daily values; the most common step here is {step}")
    grid = regularize(known, step)
    if max_days is not None:
        grid = grid.groupby("series_id", sort=True).tail(max_days)
        grid = grid[grid.groupby("series_id")["y"].transform(lambda y: y.notna().cumsum()) > 0]
    return [_prepare_one(str(sid), part) for sid, part in grid.groupby("series_id", sort=True)]


def _prepare_one(series_id: str, part: pd.DataFrame) -> PreparedSeries:
    raw = part["y"].to_numpy(dtype=float)
    step = rounding_step(raw)
    smooth = unround(raw) if step is not None else raw
    filled = fill_missing(smooth)
    cleaned, outliers = clean_outliers(filled)
    return PreparedSeries(series_id, pd.DatetimeIndex(part["ds"]), raw, cleaned,
                          int(np.isnan(raw).sum()), int(outliers), step)


def fill_missing(values: np.ndarray, season_length: int = 7) -> np.ndarray:
    """A missing day ← the mean of the same weekday one week before and after (whichever is known),
    else a straight line between its known neighbours: gaps keep the weekly shape when they can."""
    y = values.astype(float).copy()
    gaps = np.flatnonzero(np.isnan(y))
    if gaps.size == 0:
        return y
    known = np.flatnonzero(~np.isnan(values))
    line = np.interp(np.arange(y.size), known, values[known])
    for i in gaps:
        neighbours = [values[j] for j in (i - season_length, i + season_length)
                      if 0 <= j < y.size and not np.isnan(values[j])]
        y[i] = np.mean(neighbours) if neighbours else line[i]
    return y


def clean_outliers(values: np.ndarray, season_length: int = 7, threshold: float = 5.0) -> tuple[np.ndarray, int]:
    """Past spikes and dips → the median of the same weekday 1 and 2 weeks before and after.

    A viral week would otherwise teach ETS a trend or a weekly pattern it does not have (it
    forecast 10× the normal level 90 days after one in our tests). A day is outlying when it is
    more than `threshold` robust standard deviations and more than half that median away from
    it. The last week is left alone: a spike the history ends in is real news, handled by the
    fade (adjust.recent_jump)."""
    y = values.astype(float)
    n = y.size
    if n < 3 * season_length:
        return y.copy(), 0
    lags = [-2 * season_length, -season_length, season_length, 2 * season_length]
    padded = np.concatenate([np.full(2 * season_length, np.nan), y, np.full(2 * season_length, np.nan)])
    neighbours = np.stack([padded[2 * season_length + lag: 2 * season_length + lag + n] for lag in lags])
    expected = np.nanmedian(neighbours, axis=0)
    residual = y - expected
    spread = 1.4826 * np.nanmedian(np.abs(residual - np.nanmedian(residual)))
    if not spread > 0:              # mostly equal to its neighbours (sparse counts): nothing to judge by
        return y.copy(), 0
    # a spike is also large for its level: a smooth line's tiny wiggles are not outliers
    outlying = (np.abs(residual) > threshold * spread) & (np.abs(residual) > 0.5 * np.abs(expected))
    outlying[n - season_length:] = False
    out = y.copy()
    out[outlying] = expected[outlying]
    return out, int(outlying.sum())


def rounding_step(values: np.ndarray) -> float | None:
    """The size of the last step when the series is a staircase of rounded counts (e.g. subscriber
    counts rounded to 3 significant figures: 12,300 for days, then 12,400), else None.

    A staircase: every known value a positive multiple of 10, at least two changes, and most days
    equal to the day before (a rounded slow count; a real daily count rarely repeats itself)."""
    y = values[~np.isnan(values)]
    if y.size < 3 or (y <= 0).any() or (np.mod(y, 10) != 0).any():
        return None
    diffs = np.diff(y)
    changes = np.flatnonzero(diffs != 0)
    if changes.size < 2 or (diffs == 0).mean() < 0.5:
        return None
    return float(abs(diffs[changes[-1]]))


def unround(values: np.ndarray) -> np.ndarray:
    """A staircase → the line through its risers: the true count crossed the rounding midpoint
    about when the rounded value changed, so each change is placed at (before + after) / 2 half a
    day before the new value. Ends continue the nearest slope, kept within half a step of the
    rounded value (the true count cannot be further from it). NaN days stay NaN."""
    known = np.flatnonzero(~np.isnan(values))
    y = values[known]
    change = np.flatnonzero(np.diff(y) != 0)
    x_mid = (known[change] + known[change + 1]) / 2
    y_mid = (y[change] + y[change + 1]) / 2
    out = values.astype(float).copy()
    inside = (known >= x_mid[0]) & (known <= x_mid[-1])
    out[known[inside]] = np.interp(known[inside], x_mid, y_mid)
    steps = np.abs(np.diff(y)[change])
    ends = ((known < x_mid[0], 0, 1, steps[0]), (known > x_mid[-1], -1, -2, steps[-1]))
    for outside, anchor, other, step in ends:
        idx = known[outside]
        if idx.size == 0:
            continue
        slope = (y_mid[anchor] - y_mid[other]) / (x_mid[anchor] - x_mid[other])
        line = y_mid[anchor] + slope * (idx - x_mid[anchor])
        out[idx] = np.clip(line, values[idx] - step / 2, values[idx] + step / 2)
    return out
