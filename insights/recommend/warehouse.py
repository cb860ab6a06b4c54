"""The recommendations' reads from the marts and the write of marts.mart_insights (DDL: insights/store.py).
A mart that does not exist yet (no forecasts, no demographics) yields an empty frame: its insight
types are skipped, the others still run."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pandas as pd

from insights.recommend.posts import POST_COLUMNS
from insights.recommend.rows import INSIGHT_COLUMNS
from insights.warehouse import query_frame, replace_mart, table_exists

READ_DAYS = 26 * 7 + 14   # the longest window any insight type reads


def _exists(conn, table: str) -> bool:
    with conn.cursor() as cur:
        return table_exists(cur, table)


def read_posts(conn, today: date) -> pd.DataFrame:
    if not (_exists(conn, "marts.dim_posts") and _exists(conn, "marts.mart_content_performance")):
        return pd.DataFrame(columns=list(POST_COLUMNS))
    return query_frame(conn, """
        select p.workspace_id, p.platform, p.account_id, p.post_key, p.published_date_local,
               p.published_weekday_local as weekday, p.published_hour_local as hour, p.format, p.hashtags,
               p.duration_s, c.engagement_rate::double precision as engagement_rate,
               c.engagements::double precision as engagements
        from marts.dim_posts as p
        left join marts.mart_content_performance as c on c.post_key = p.post_key
        where p.published_date_local >= %s and p.published_date_local < %s
        order by p.platform, p.account_id, p.post_key""", (today - timedelta(days=READ_DAYS), today))


def read_demographics(conn) -> pd.DataFrame:
    if not _exists(conn, "marts.mart_audience_demographics"):
        return pd.DataFrame(columns=["platform", "account_id", "snapshot_date", "audience", "dimension",
                                     "dimension_value", "value", "value_kind", "share_pct"])
    return query_frame(conn, """
        select platform, account_id, snapshot_date, audience, dimension, dimension_value,
               value::double precision as value, value_kind, share_pct::double precision as share_pct
        from marts.mart_audience_demographics order by 1, 2, 3, 4, 5, 6""")


def read_post_anomalies(conn) -> pd.DataFrame:
    if not _exists(conn, "marts.mart_anomalies"):
        return pd.DataFrame()
    titles = _exists(conn, "marts.dim_posts")
    return query_frame(conn, f"""
        select a.anomaly_id, a.platform, a.account_id, a.post_id, a.metric, a.observed_on, a.value, a.expected,
               a.ratio, a.score, a.severity, a.direction, a.reason, {'p.title' if titles else 'null'} as post_title
        from marts.mart_anomalies as a
        {'left join marts.dim_posts as p on p.platform = a.platform and p.post_id = a.post_id' if titles else ''}
        where a.level = 'post' and a.domain = 'social' order by a.anomaly_id""")


def read_forecasts(conn) -> pd.DataFrame:
    if not _exists(conn, "marts.mart_forecasts"):
        return pd.DataFrame(columns=["domain", "platform", "account_id", "metric", "made_on", "target_date",
                                     "point", "lower_80", "upper_80", "model"])
    return query_frame(conn, """
        select domain, platform, account_id, metric, made_on, target_date, point, lower_80, upper_80, model
        from marts.mart_forecasts where domain = 'social' and metric = 'followers' order by 2, 3, 6""")


def write_insights(conn, insights: pd.DataFrame) -> int:
    """Make marts.mart_insights hold exactly `insights` (one transaction)."""
    frame = insights.assign(insight_data=insights["insight_data"].map(lambda d: json.dumps(d, sort_keys=True,
                                                                                            default=str)))
    return replace_mart(conn, "marts.mart_insights", frame, INSIGHT_COLUMNS)
