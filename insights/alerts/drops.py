"""Account drops: a complete day's views collapsing against the account's usual level, and which
cause is likelier — a broken connection or a real decline.

    expected = median views of the same weekday in the previous `drop_weeks` weeks (≥ 2 known),
               else of the previous 14 days (≥ 7 known); else the day is not judged
    drop     = expected ≥ min_expected_views  and  views < drop_fraction × expected (or unknown)

Likely cause: the signals of a broken connection are counted against those of a real decline,
and the larger count wins (a tie is a real decline: the numbers came in, just lower).
    broken connection: the latest sync failed or was partial, or it loaded no rows (for drop days
                       of the last 7 days: it says nothing about older ones); the views are
                       exactly 0 (or unknown) while the account has posts; followers stopped
                       changing (same as the day before, though they moved in the two weeks before)
    real decline:      views still came in (above 0); engagements still came in; followers still changing
Only complete days (`is_complete`) are judged: a day the platform still revises is not a drop.
"""

from __future__ import annotations

import warnings
from datetime import date, timedelta

import numpy as np
import pandas as pd

from core.workspace import AlertSettings
from insights.alerts.episodes import find_episodes

BROKEN, DECLINE = "broken connection", "real decline"
ACCOUNT_KEYS = ["platform", "account_id"]
ACCOUNT_DAY_COLUMNS = ("platform", "account_id", "metric_date", "views", "engagements", "followers", "posts_total")
SYNC_COLUMNS = ("platform", "account_id", "status", "rows_loaded")
FALLBACK_DAYS, FALLBACK_MIN = 14, 7
SYNC_RELEVANT_DAYS = 7  # the latest sync speaks for the last week's days, not for older episodes


def judge_accounts(account_days: pd.DataFrame, settings: AlertSettings, start: date, end: date) -> pd.DataFrame:
    """One row per account × complete day in [start, end] with an expected level: value, expected,
    ratio, basis (what `expected` is), drop (bool) and the evidence columns likely_cause() reads."""
    missing = [c for c in ACCOUNT_DAY_COLUMNS if c not in account_days.columns]
    if missing:
        raise ValueError(f"account days lack column(s) {', '.join(missing)}")
    parts = [_judge_one(days, settings) for _, days in account_days.groupby(ACCOUNT_KEYS, sort=True)]
    judged = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    if judged.empty:
        return judged
    judged = judged[(judged["day"] >= start) & (judged["day"] <= end) & judged["expected"].notna()]
    value, expected = judged["value"], judged["expected"]
    drop = (expected >= settings.min_expected_views) & (value.isna() | (value < settings.drop_fraction * expected))
    return judged.assign(ratio=(value / expected).where(expected > 0), drop=drop).reset_index(drop=True)


def _judge_one(days: pd.DataFrame, settings: AlertSettings) -> pd.DataFrame:
    days = days.assign(metric_date=pd.to_datetime(days["metric_date"])).set_index("metric_date").sort_index()
    grid = pd.date_range(days.index.min(), days.index.max(), freq="D")
    full = days.reindex(grid)
    views = pd.to_numeric(full["views"], errors="coerce").astype(float)
    same_weekday = np.column_stack([views.shift(7 * k).to_numpy() for k in range(1, settings.drop_weeks + 1)])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # no known same weekday yet
        weekly = np.nanmedian(same_weekday, axis=1)
    weekly_known = (~np.isnan(same_weekday)).sum(axis=1) >= 2
    trailing = views.shift(1).rolling(FALLBACK_DAYS, min_periods=FALLBACK_MIN).median()
    expected = np.where(weekly_known, weekly, trailing.to_numpy())
    basis = np.where(weekly_known, [f"a usual {d:%A}" for d in grid], f"the previous {FALLBACK_DAYS} days")
    followers = pd.to_numeric(full["followers"], errors="coerce").astype(float)
    moved = followers.diff().ne(0) & followers.diff().notna()
    out = pd.DataFrame({
        "platform": days["platform"].iloc[0], "account_id": days["account_id"].iloc[0], "day": grid.date,
        "value": views.to_numpy(), "expected": expected, "basis": basis,
        "engagements": pd.to_numeric(full["engagements"], errors="coerce").to_numpy(dtype=float),
        "posts_total": pd.to_numeric(full["posts_total"], errors="coerce").to_numpy(dtype=float),
        "followers_flat": (followers == followers.shift(1)).to_numpy(),
        "followers_moving": moved.to_numpy(),
        "followers_moved_before": moved.shift(1).rolling(14, min_periods=1).sum().gt(0).to_numpy(),
    })
    return out[days.reindex(grid)["platform"].notna().to_numpy()]  # complete days only


def likely_cause(row, sync_status: str | None, sync_rows: float | None) -> tuple[str, list[str]]:
    """(cause, the evidence for it in words) for one judged drop day (a row of judge_accounts)."""
    broken, decline = [], []
    if sync_status in ("failed", "partial"):
        broken.append(f"the latest sync {'failed' if sync_status == 'failed' else 'was partial'}")
    elif sync_status == "success" and sync_rows == 0:
        broken.append("the latest sync loaded no rows")
    has_posts = not (row.posts_total == 0)  # unknown: assume it has posts
    if np.isnan(row.value) and has_posts:
        broken.append("no views were reported although the account has posts")
    elif row.value == 0 and has_posts:
        broken.append("the views are exactly 0 although the account has posts")
    if row.followers_flat and row.followers_moved_before:
        broken.append("followers stopped changing")
    if row.value > 0:
        share = f" ({row.value / row.expected:.0%} of the usual)" if row.expected > 0 else ""
        decline.append(f"views still came in{share}")
    if row.engagements > 0:
        decline.append("likes, comments and shares still came in")
    if row.followers_moving:
        decline.append("followers are still changing")
    return (BROKEN, broken) if len(broken) > len(decline) else (DECLINE, decline)


def drop_episodes(account_days: pd.DataFrame, syncs: pd.DataFrame, settings: AlertSettings, start: date,
                  end: date) -> pd.DataFrame:
    """One row per account × episode of drop days, described by its deepest day, with the likely
    cause (`syncs`: the latest ops.sync_results row per account, SYNC_COLUMNS)."""
    judged = judge_accounts(account_days, settings, start, end)
    if judged.empty:
        return pd.DataFrame(columns=[*ACCOUNT_KEYS, "episode_start", "last_seen", "status", "kind"])
    latest = syncs.loc[:, list(SYNC_COLUMNS)].drop_duplicates(ACCOUNT_KEYS).set_index(ACCOUNT_KEYS)
    recent = end - timedelta(days=SYNC_RELEVANT_DAYS)
    causes = [likely_cause(row, *(_sync_of(latest, row) if row.day >= recent else (None, None)))
              for row in judged.itertuples(index=False)]
    judged = judged.assign(likely_cause=[c for c, _ in causes], evidence=[e for _, e in causes],
                           flag=judged["drop"], peak=-judged["ratio"].fillna(0.0), metric="views")
    columns = [*ACCOUNT_KEYS, "day", "flag", "peak", "metric", "value", "expected", "ratio", "basis", "likely_cause",
               "evidence"]
    episodes = find_episodes(judged[columns], ACCOUNT_KEYS, settings.close_after_days)
    return episodes.assign(kind="account_drop", post_id=None)


def _sync_of(latest: pd.DataFrame, row) -> tuple[str | None, float | None]:
    key = (row.platform, row.account_id)
    if key not in latest.index:
        return None, None
    found = latest.loc[key]
    return found["status"], float(found["rows_loaded"])


def drop_window(end: date, settings: AlertSettings) -> date:
    """The first day of account data the judgement of [end − window_days, end] needs."""
    return end - timedelta(days=settings.window_days + 7 * settings.drop_weeks + FALLBACK_DAYS)
