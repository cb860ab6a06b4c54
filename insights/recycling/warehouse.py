"""The recycling reads from the marts and the write of marts.mart_recycling_candidates (DDL: insights/store.py).

The engagement rate is the post's lifetime rate of marts.mart_content_performance (its one formula,
docs/metrics.md) and as_of_date its account's last complete day; the views per day come from
marts.fct_post_metrics_daily, only the days of the two 30-day windows of the posts old enough.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from insights.recycling.parts import DAYS_COLUMNS, WINDOW_DAYS
from insights.recycling.score import MART_COLUMNS, POST_COLUMNS
from insights.warehouse import query_frame, replace_mart

POSTS_SQL = """
    select p.post_key, p.platform, p.account_id, p.post_id, p.title, p.caption, p.format, p.published_at,
           p.published_date_local, p.is_tracked_from_publish, c.engagement_rate::double precision, c.as_of_date
    from marts.dim_posts as p
    left join marts.mart_content_performance as c on c.post_key = p.post_key
    order by p.post_key
"""
DAYS_SQL = """
    select f.post_key, f.metric_date, f.views::double precision, f.metric_source
    from marts.fct_post_metrics_daily as f
    inner join marts.dim_posts as p on p.post_key = f.post_key
    left join marts.mart_content_performance as c on c.post_key = p.post_key
    where p.published_date_local <= %(cutoff)s
      and (f.metric_date < (p.published_at at time zone 'UTC')::date + %(window)s
           or f.metric_date > c.as_of_date - %(window)s)
    order by f.post_key, f.metric_date
"""


def read_posts(conn) -> pd.DataFrame:
    frame = query_frame(conn, POSTS_SQL)
    return frame.reindex(columns=list(POST_COLUMNS))


def read_days(conn, cutoff: date) -> pd.DataFrame:
    """The window days of the posts published on or before `cutoff` (NULL views stay NaN)."""
    frame = query_frame(conn, DAYS_SQL, {"cutoff": cutoff, "window": WINDOW_DAYS})
    return frame.reindex(columns=list(DAYS_COLUMNS)).astype({"views": float})


def write_candidates(conn, rows: pd.DataFrame, now) -> int:
    """Make marts.mart_recycling_candidates hold exactly `rows` (one transaction)."""
    return replace_mart(conn, "marts.mart_recycling_candidates", rows, MART_COLUMNS, ("generated_at", now))
