"""What the alert rules read from the warehouse: post days, complete account days, the latest sync
per account, and the names a message uses. All reads; ops.alerts writes are in store.py."""

from __future__ import annotations

from datetime import date

import pandas as pd

from insights.warehouse import query_frame

POST_DAYS = """
    select f.platform, f.account_id, f.post_id, (p.published_at at time zone 'UTC')::date as published_on,
           f.metric_date, f.views::float8 as views, f.engagements::float8 as engagements,
           coalesce(f.is_estimated, false) as is_estimated
    from marts.fct_post_metrics_daily as f
    inner join marts.dim_posts as p on p.post_key = f.post_key
    where f.metric_date between %s and %s and p.published_at is not null"""

ACCOUNT_DAYS = """
    select platform, account_id, metric_date, views::float8 as views, engagements::float8 as engagements,
           followers::float8 as followers, posts_total::float8 as posts_total
    from marts.fct_account_metrics_daily
    where is_complete and metric_date between %s and %s"""

LATEST_SYNCS = """
    select distinct on (platform, account_id) platform, account_id, status, rows_loaded
    from ops.sync_results order by platform, account_id, finished_at desc"""


def latest_day(conn) -> date | None:
    """The last day of the post facts: the day an evaluation judges up to."""
    with conn.cursor() as cur:
        cur.execute("select max(metric_date) from marts.fct_post_metrics_daily")
        return cur.fetchone()[0]


def read_post_days(conn, since: date, until: date) -> pd.DataFrame:
    return query_frame(conn, POST_DAYS, (since, until))


def read_account_days(conn, since: date, until: date) -> pd.DataFrame:
    return query_frame(conn, ACCOUNT_DAYS, (since, until))


def latest_syncs(conn) -> pd.DataFrame:
    return query_frame(conn, LATEST_SYNCS)


def names(conn, platforms_accounts: list[tuple[str, str]], posts: list[tuple[str, str]]):
    """({(platform, account_id): account_name}, {(platform, post_id): title})."""
    accounts = query_frame(conn, "select platform, account_id, account_name from marts.dim_accounts "
                            "where (platform, account_id) in (select * from unnest(%s::text[], %s::text[]))",
                      ([p for p, _ in platforms_accounts] or [""], [a for _, a in platforms_accounts] or [""]))
    titles = query_frame(conn, "select platform, post_id, title from marts.dim_posts "
                          "where (platform, post_id) in (select * from unnest(%s::text[], %s::text[]))",
                    ([p for p, _ in posts] or [""], [i for _, i in posts] or [""]))
    return ({(r.platform, r.account_id): r.account_name for r in accounts.itertuples()},
            {(r.platform, r.post_id): r.title for r in titles.itertuples()})
