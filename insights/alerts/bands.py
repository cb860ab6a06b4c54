"""The expected band of a post on a given day of its life, from the account's other posts.

A post's views depend mostly on its age (a launch, then a decay), so a post-day is compared with
the same age of the account's posts published in the `peer_days` before it (their values at that
age are all from earlier days: nothing later than the judged day is used, so a rerun judges a day
the same way). Fewer than `min_peers` such peers: all the account's earlier posts within
`history_days`; still fewer: the day is not judged. Estimated (interpolated) days are neither
judged nor used as peers: an even spread between two far-apart readings hides when a spike happened.

    expected = median of the peers' values       spread = max(1.4826 × MAD, √expected, 1)
    band     = expected ± band_z × spread         score  = (value − expected) / spread
    above    = value > upper band  and  value ≥ factor × expected  and  value ≥ the metric's minimum
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from core.workspace import AlertSettings

MAD_TO_SIGMA = 1.4826  # a normal distribution's σ from its median absolute deviation
NEAR, HISTORY = "post_age_peers", "post_age_peers_history"
POST_DAY_COLUMNS = ("platform", "account_id", "post_id", "published_on", "metric_date", "views", "engagements",
                    "is_estimated")
JUDGED_COLUMNS = ("platform", "account_id", "post_id", "metric", "metric_date", "age", "value", "expected",
                  "spread", "lower", "upper", "ratio", "score", "peers", "method", "above")
_EPOCH = pd.Timestamp("1970-01-01")


def judge_posts(post_days: pd.DataFrame, settings: AlertSettings, start: date, end: date) -> pd.DataFrame:
    """One row per post × day in [start, end] × metric that could be judged (JUDGED_COLUMNS)."""
    missing = [c for c in POST_DAY_COLUMNS if c not in post_days.columns]
    if missing:
        raise ValueError(f"post days lack column(s) {', '.join(missing)}")
    frame = _with_day_numbers(post_days)
    first, last = _day_number(start), _day_number(end)
    parts = [_judge_account(days, metric, settings, first, last)
             for _, days in frame.groupby(["platform", "account_id"], sort=True)
             for metric in settings.metrics]
    parts = [p for p in parts if not p.empty]
    if not parts:
        return pd.DataFrame(columns=list(JUDGED_COLUMNS))
    judged = pd.concat(parts, ignore_index=True)
    return _band(judged, settings).loc[:, list(JUDGED_COLUMNS)]


def _judge_account(days: pd.DataFrame, metric: str, settings: AlertSettings, first: int, last: int) -> pd.DataFrame:
    posts = days.drop_duplicates("post_id").sort_values(["pub", "post_id"])
    pub = posts["pub"].to_numpy()
    row_of = pd.Series(np.arange(len(posts)), index=posts["post_id"].to_numpy())
    known = days[days[metric].notna() & ~days["is_estimated"] & (days["age"] >= 0)]
    if known.empty:
        return pd.DataFrame()
    rows, ages = row_of[known["post_id"]].to_numpy(), known["age"].to_numpy()
    matrix = np.full((len(posts), int(ages.max()) + 1), np.nan)
    matrix[rows, ages] = known[metric].to_numpy(dtype=float)
    in_window = (known["day"] >= first).to_numpy() & (known["day"] <= last).to_numpy()
    judged = known[in_window].reset_index(drop=True)
    judged_rows, judged_ages = rows[in_window], ages[in_window]
    stats = np.full((len(judged), 3), np.nan)  # peers, expected, mad
    wide = np.zeros(len(judged), dtype=bool)
    for i in np.unique(judged_rows):
        at = np.flatnonzero(judged_rows == i)
        cols = judged_ages[at]
        upto = int(np.searchsorted(pub, pub[i], side="right"))
        found = _peer_stats(matrix, _others(np.searchsorted(pub, pub[i] - settings.peer_days), upto, i), cols)
        short = found[:, 0] < settings.min_peers
        if short.any():
            oldest = np.searchsorted(pub, pub[i] - settings.history_days)
            found[short] = _peer_stats(matrix, _others(oldest, upto, i), cols[short])
            wide[at[short]] = True
        stats[at] = found
    judged = judged.assign(peers=stats[:, 0], expected=stats[:, 1], mad=stats[:, 2],
                           method=np.where(wide, HISTORY, NEAR))
    judged = judged[judged["peers"] >= settings.min_peers]
    return judged.assign(metric=metric, value=judged[metric].astype(float))


def _others(lo, hi, i) -> np.ndarray:
    rows = np.arange(int(lo), int(hi))
    return rows[rows != i]


def _peer_stats(matrix: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """(peers, median, MAD) of the given rows' values at each of the given ages."""
    if not len(rows):
        return np.column_stack([np.zeros(len(cols)), np.full(len(cols), np.nan), np.full(len(cols), np.nan)])
    peers = matrix[np.ix_(rows, cols)]
    count, median = _column_medians(peers)
    return np.column_stack([count, median, _column_medians(np.abs(peers - median))[1]])


def _column_medians(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Known values and median per column, NaN ignored (np.nanmedian is ~50× slower on small blocks)."""
    count = (~np.isnan(values)).sum(axis=0)
    ordered = np.sort(values, axis=0)  # NaN sorts last
    columns = np.arange(values.shape[1])
    low = ordered[np.maximum((count - 1) // 2, 0), columns]   # the two middle values (the same one
    high = ordered[np.minimum(count // 2, len(values) - 1), columns]  # when the count is odd)
    median = (low + high) / 2
    return count, np.where(count > 0, median, np.nan)


def _band(judged: pd.DataFrame, settings: AlertSettings) -> pd.DataFrame:
    expected = judged["expected"]
    spread = np.maximum.reduce([MAD_TO_SIGMA * judged["mad"], np.sqrt(expected.clip(lower=0)),
                                np.ones(len(judged))])
    value = judged["value"]
    ratio = (value / expected).where(expected > 0)
    upper = expected + settings.band_z * spread
    minimum = judged["metric"].map(settings.min_volume)
    above = (value > upper) & ((ratio >= settings.factor) | (expected <= 0)) & (value >= minimum)
    return judged.assign(
        spread=spread, upper=upper, lower=(expected - settings.band_z * spread).clip(lower=0), ratio=ratio,
        score=(value - expected) / spread, above=above, metric_date=_to_date(judged["day"]),
    )


def _with_day_numbers(post_days: pd.DataFrame) -> pd.DataFrame:
    frame = post_days.loc[:, list(POST_DAY_COLUMNS)].copy()
    frame["pub"] = _day_series(frame["published_on"])
    frame["day"] = _day_series(frame["metric_date"])
    frame["age"] = frame["day"] - frame["pub"]
    frame["is_estimated"] = frame["is_estimated"].fillna(False).astype(bool)
    for metric in ("views", "engagements"):
        frame[metric] = pd.to_numeric(frame[metric], errors="coerce").astype(float)
    return frame.dropna(subset=["pub", "day"]).astype({"pub": int, "day": int, "age": int})


def _day_series(values: pd.Series) -> pd.Series:
    return (pd.to_datetime(values).dt.normalize() - _EPOCH).dt.days


def _day_number(value: date) -> int:
    return int((pd.Timestamp(value) - _EPOCH).days)


def _to_date(days: pd.Series) -> pd.Series:
    return (_EPOCH + pd.to_timedelta(days, unit="D")).dt.date
