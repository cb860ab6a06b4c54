"""The ROI's reads from the marts and the write of marts.mart_roi (DDL: insights/store.py)."""

from __future__ import annotations

import pandas as pd

from insights.roi.compute import MART_COLUMNS, month_of
from insights.warehouse import query_frame, replace_mart, table_exists

DAY_COLUMNS = ["platform", "account_id", "metric_date", "is_complete", "views", "engagements", "followers_net"]
POST_COLUMNS = ["post_key", "platform", "account_id", "published_at", "hashtags"]


# ROI is one workspace's (the costs'): its accounts only, so platform rows never mix workspaces.
IN_WORKSPACE = "(%(workspace)s::text is null or workspace_id = %(workspace)s::text)"


def read_account_days(conn, workspace: str | None = None) -> pd.DataFrame:
    """Every account day of the workspace with the mart's own results (NULL stays NaN)."""
    with conn.cursor() as cur:
        if not table_exists(cur, "marts.fct_account_metrics_daily"):
            return pd.DataFrame(columns=DAY_COLUMNS)
    frame = query_frame(conn, f"select {', '.join(DAY_COLUMNS)} from marts.fct_account_metrics_daily "
                              f"where {IN_WORKSPACE} order by 1, 2, 3", {"workspace": workspace})
    return frame.astype({c: float for c in ("views", "engagements", "followers_net")})


def read_posts(conn, workspace: str | None = None) -> pd.DataFrame:
    """Every post of the workspace with its account and month of publication (UTC, like fct_account_metrics_daily.posts_published)."""
    with conn.cursor() as cur:
        if not table_exists(cur, "marts.dim_posts"):
            return pd.DataFrame(columns=[*POST_COLUMNS, "month"])
    frame = query_frame(conn, "select post_key, platform, account_id, (published_at at time zone 'UTC')::date "
                              f"as published_at, hashtags from marts.dim_posts where {IN_WORKSPACE} order by post_key",
                        {"workspace": workspace})
    return frame.assign(month=frame["published_at"].map(month_of) if len(frame) else [])


def read_post_days(conn, post_keys: list[str]) -> pd.DataFrame:
    """The posts' days that are complete for their account (the account day's is_complete)."""
    columns = ["post_key", "metric_date", "views", "engagements"]
    if not post_keys:
        return pd.DataFrame(columns=columns)
    frame = query_frame(conn, """
        select p.post_key, p.metric_date, p.views, p.engagements
        from marts.fct_post_metrics_daily as p
        inner join marts.fct_account_metrics_daily as a
            on a.account_key = p.account_key and a.metric_date = p.metric_date and a.is_complete
        where p.post_key = any(%s) order by 1, 2""", (post_keys,))
    return frame.astype({"views": float, "engagements": float})


def write_roi(conn, rows: pd.DataFrame, now, workspace: str | None = None) -> int:
    """Make marts.mart_roi hold exactly `rows` (one transaction); platform and campaign rows belong to
    the workspace the costs were declared for."""
    return replace_mart(conn, "marts.mart_roi", rows, MART_COLUMNS, ("computed_at", now), workspace=workspace)
