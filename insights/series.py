"""A user's CSV → the series frame (insights/frames.py), with an error that names the problem.

Used by `tidemark insights backtest | forecast | detect`; the pipeline builds the same frame from
the marts (insights/warehouse.py), so both go through the same forecaster and detector.
Line numbers in messages are the file's (the header is line 1).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from insights.frames import InsightsInputError


def read_series_csv(path: str | Path, time_col: str, value_col: str, id_col: str | None = None) -> pd.DataFrame:
    """Read one or many series from a CSV: a missing value is NaN (unknown), a bad one an error."""
    path = Path(path)
    if not path.is_file():
        raise InsightsInputError(f"{path}: no such file")
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.EmptyDataError, pd.errors.ParserError, UnicodeDecodeError) as error:
        raise InsightsInputError(f"{path}: not a readable CSV ({str(error).splitlines()[0]})") from None
    for role, column in (("time", time_col), ("value", value_col), ("id", id_col)):
        if column is not None and column not in raw.columns:
            raise InsightsInputError(f"{path}: no {role} column '{column}'; its columns are: "
                                     + ", ".join(raw.columns))
    if raw.empty:
        raise InsightsInputError(f"{path}: no rows below the header")
    line = raw.index + 2
    times = raw[time_col].str.strip()
    ds = pd.to_datetime(times, errors="coerce", utc=True, format="mixed")
    bad = ds.isna()
    if bad.any():
        i = bad.idxmax()
        raise InsightsInputError(f"{path} line {line[i]}: '{raw.at[i, time_col]}' in column '{time_col}' is not a "
                                 f"date or time ({int(bad.sum())} such rows)")
    text = raw[value_col].str.strip()
    y = pd.to_numeric(text.str.replace(",", "", regex=False), errors="coerce")
    bad = y.isna() & ~text.str.lower().isin(["", "na", "nan", "null", "none"])
    if bad.any():
        i = bad.idxmax()
        raise InsightsInputError(f"{path} line {line[i]}: '{raw.at[i, value_col]}' in column '{value_col}' is not a "
                                 f"number ({int(bad.sum())} such rows; leave a cell empty for an unknown value)")
    frame = pd.DataFrame({
        "series_id": raw[id_col].astype(str) if id_col else path.stem,
        "ds": ds.dt.tz_convert(None), "y": y.astype(float), "_line": line,
    })
    dup = frame.duplicated(["series_id", "ds"], keep=False)
    if dup.any():
        first = frame[dup].iloc[0]
        lines = frame.loc[dup & (frame.series_id == first.series_id) & (frame.ds == first.ds), "_line"].tolist()
        raise InsightsInputError(f"{path}: series '{first.series_id}' has {first.ds} more than once (lines "
                                 + ", ".join(map(str, lines)) + f"); {int(dup.sum())} rows share a time with another")
    return frame.drop(columns="_line").sort_values(["series_id", "ds"]).reset_index(drop=True)


def infer_freq(frame: pd.DataFrame) -> pd.Timedelta:
    """The series' step: the most common gap between consecutive times (a day for daily data)."""
    gaps = frame.groupby("series_id")["ds"].diff().dropna()
    if gaps.empty:
        return pd.Timedelta(days=1)
    return gaps.mode().iloc[0]


def regularize(frame: pd.DataFrame, step: pd.Timedelta | None = None) -> pd.DataFrame:
    """Every series on a complete grid from its first to its last time; a missing step is NaN."""
    step = step or infer_freq(frame)
    parts = []
    for series_id, part in frame.groupby("series_id", sort=True):
        grid = pd.date_range(part.ds.min(), part.ds.max(), freq=step)
        off_grid = ~part.ds.isin(grid)
        if off_grid.any():
            raise InsightsInputError(f"series '{series_id}': {part.ds[off_grid].iloc[0]} is not on the series' "
                                     f"{_step_words(step)} grid starting {part.ds.min()}")
        y = part.set_index("ds")["y"].reindex(grid)
        parts.append(pd.DataFrame({"series_id": series_id, "ds": grid, "y": y.to_numpy()}))
    return pd.concat(parts, ignore_index=True) if parts else frame.iloc[0:0]


def require_points(frame: pd.DataFrame, minimum: int, purpose: str) -> None:
    """Refuse series with fewer than `minimum` known values, naming them and what they need."""
    counts = frame.dropna(subset=["y"]).groupby("series_id").size().reindex(frame.series_id.unique(), fill_value=0)
    short = counts[counts < minimum]
    if not short.empty:
        named = ", ".join(f"'{s}' ({n})" for s, n in short.head(5).items())
        more = f" and {len(short) - 5} more" if len(short) > 5 else ""
        raise InsightsInputError(f"too few points for {purpose}: it needs at least {minimum} known values per "
                                 f"series; {named}{more}")


def _step_words(step: pd.Timedelta) -> str:
    if step == pd.Timedelta(days=1):
        return "daily"
    if step == pd.Timedelta(hours=1):
        return "hourly"
    return f"{step} step"
