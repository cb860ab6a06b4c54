"""The post frame every content recommendation reads, and the one engagement measure they share.

One row per post: the dim_posts attributes (local weekday and hour, format, hashtags, duration) and
the post's lifetime engagement rate (mart_content_performance.engagement_rate: engagements ÷ the
platform's documented rate base, docs/metrics.md). A rate, not a count, because a post two days old
has not collected its engagements yet but its rate is already representative. Posts without a
positive rate (unknown, or no views yet) are left out — unknown is not 0.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

POST_COLUMNS = ("platform", "account_id", "post_key", "published_date_local", "weekday", "hour", "format",
                "hashtags", "duration_s", "engagement_rate", "engagements")


def in_window(posts: pd.DataFrame, today: date, days: int, end_gap_days: int = 0) -> pd.DataFrame:
    """Posts published in [today − days, today − end_gap_days) (local dates)."""
    published = pd.to_datetime(posts["published_date_local"]).dt.date
    return posts[(published >= today - timedelta(days=days)) & (published < today - timedelta(days=end_gap_days))]


def rated(posts: pd.DataFrame) -> pd.DataFrame:
    """Posts with a positive engagement rate, with `log_rate` and `rel` = log rate minus the mean log
    rate of the same account and format (the mean: a median would leave each format a
    different mean `rel`, which a duration bucket tied to one format would inherit): "this post vs the account's usual post of its kind", so a
    time slot is not credited with the format that happened to be posted in it."""
    out = posts[pd.to_numeric(posts["engagement_rate"], errors="coerce") > 0].copy()
    out["log_rate"] = np.log(out["engagement_rate"].astype(float))
    typical = out.groupby(["platform", "account_id", "format"])["log_rate"].transform("mean")
    out["rel"] = out["log_rate"] - typical
    return out.sort_values(["platform", "account_id", "post_key"]).reset_index(drop=True)
