"""Viral posts: post-days above the band of their account's posts at the same age (bands.py),
grouped into episodes (episodes.py); and the same verdicts as rows of marts.mart_anomalies."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from core.workspace import AlertSettings
from insights.alerts.bands import judge_posts
from insights.alerts.episodes import find_episodes
from insights.alerts.text import post_reason
from insights.anomaly_rows import anomaly_id
from insights.warehouse import ANOMALY_COLUMNS

POST_KEYS = ["platform", "account_id", "post_id"]


def viral_episodes(post_days: pd.DataFrame, settings: AlertSettings, start: date, end: date,
                   judged: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per post × episode of days above the band, described by its peak day (highest score).
    A post-day is above when any of `settings.metrics` is (the peak names the metric that was), and
    back inside when every judged metric is inside its band."""
    judged = judge_posts(post_days, settings, start, end) if judged is None else judged
    if judged.empty:
        return pd.DataFrame(columns=[*POST_KEYS, "episode_start", "last_seen", "status", "kind"])
    per_day = (judged.assign(inside=judged["value"] <= judged["upper"])
               .sort_values(["above", "score"], ascending=False))
    inside = per_day.groupby([*POST_KEYS, "metric_date"], sort=False)["inside"].transform("all")
    per_day = (per_day.assign(inside=inside).drop_duplicates([*POST_KEYS, "metric_date"])
               .rename(columns={"metric_date": "day", "above": "flag"}))
    per_day = per_day.assign(peak=per_day["score"])[
        [*POST_KEYS, "day", "flag", "inside", "peak", "metric", "value", "expected", "ratio", "age", "score",
         "method"]]
    episodes = find_episodes(per_day, POST_KEYS, settings.close_after_days)
    return episodes.assign(kind="viral_post", likely_cause=None)


def post_anomalies(post_days: pd.DataFrame, settings: AlertSettings | None = None, start: date | None = None,
                   end: date | None = None, only_anomalous: bool = True,
                   judged: pd.DataFrame | None = None) -> pd.DataFrame:
    """Post-days in the shape of marts.mart_anomalies (level 'post'): by default only those above the
    band (the alert rule's days); `only_anomalous=False` gives every judged post-day × metric.
    Without `end`, the last day of `post_days`; without `start`, `settings.window_days` before it."""
    settings = settings or AlertSettings()
    if judged is None:
        end = end or pd.to_datetime(post_days["metric_date"]).max().date()
        start = start or end - timedelta(days=settings.window_days - 1)
        judged = judge_posts(post_days, settings, start, end)
    rows = judged[judged["above"]] if only_anomalous else judged
    if rows.empty:
        return pd.DataFrame(columns=list(ANOMALY_COLUMNS))
    reasons = [post_reason(m, v, e, a) for m, v, e, a in
               zip(rows["metric"], rows["value"], rows["expected"], rows["age"], strict=True)]
    ids = [anomaly_id("post", p, a, i, m, d) for p, a, i, m, d in
           zip(rows["platform"], rows["account_id"], rows["post_id"], rows["metric"], rows["metric_date"], strict=True)]
    out = rows.assign(
        anomaly_id=ids, level="post", domain="social", observed_on=rows["metric_date"],
        lower_bound=rows["lower"], upper_bound=rows["upper"], severity=rows["score"].abs(),
        direction=rows["score"].ge(0).map({True: "spike", False: "drop"}), likely_cause=None, reason=reasons,
    )
    return out.loc[:, list(ANOMALY_COLUMNS)].reset_index(drop=True)

