"""Synthetic core marts (same names and columns the reports read), generated in SQL.

For the report benchmark (1,000 accounts): it must not depend on the state of the dbt project.
Platforms and their formats come from the platform registry. Deterministic: numbers derive from
ids with hashing, not randomness.
"""

from __future__ import annotations

import json
from datetime import date

from ingestion.registry import platforms

DDL = """
drop table if exists marts.fct_post_metrics_daily, marts.fct_account_metrics_daily, marts.dim_posts,
    marts.dim_accounts;
create schema if not exists marts;
create table marts.dim_accounts as
select p.platform || ':' || 'acc' || lpad(n::text, 5, '0') as account_key, %(workspace)s as workspace_id,
       p.platform, 'acc' || lpad(n::text, 5, '0') as account_id, 'Account ' || n as account_name,
       'Europe/Madrid' as timezone, true as is_simulated, 0 as posts_count, null::timestamptz as first_post_at
from generate_series(1, %(accounts)s) as n
cross join lateral (select (%(platforms)s::text[])[1 + (n - 1) %% cardinality(%(platforms)s::text[])] as platform) p;

create table marts.dim_posts as
select a.platform || ':' || a.account_id || '-' || k as post_key, a.account_key, a.platform, a.account_id,
       a.account_id || '-' || k as post_id,
       (%(formats)s::jsonb -> a.platform ->> (abs(hashtext(a.account_id || k)) %% 2)) as format,
       ts as published_at, ts at time zone 'Europe/Madrid' as published_at_local,
       (ts at time zone 'Europe/Madrid')::date as published_date_local,
       extract(isodow from ts at time zone 'Europe/Madrid')::int as published_weekday_local,
       extract(hour from ts at time zone 'Europe/Madrid')::int as published_hour_local,
       'Post ' || k || ' of ' || a.account_name as title, '#tidemark #post' || (k %% 5) as caption,
       'post' || (k %% 5) || ',tidemark' as hashtags, 60 as duration_s,
       'https://example.invalid/' || a.account_id || '/' || k as permalink, now() as last_snapshot_at
from marts.dim_accounts as a
cross join generate_series(0, %(posts_per_account)s - 1) as k
cross join lateral (select (%(start)s::date + (k * %(days)s / %(posts_per_account)s))::timestamp
    + make_interval(hours => 8 + abs(hashtext(a.account_id || k || 'h')) %% 14) as ts) t;
update marts.dim_posts set format = 'video' where format is null;

create table marts.fct_post_metrics_daily as
select p.post_key, p.account_key, p.platform, p.account_id, p.post_id, d::date as metric_date,
       v as views, (v * 0.04)::bigint as likes, (v * 0.005)::bigint as comments, (v * 0.003)::bigint as shares,
       null::bigint as saves, null::bigint as clicks, null::bigint as reach, null::bigint as impressions,
       (v * 0.04)::bigint + (v * 0.005)::bigint + (v * 0.003)::bigint as engagements,
       (v * 1.5)::numeric as watch_time_minutes,
       round(((v * 0.04)::bigint + (v * 0.005)::bigint + (v * 0.003)::bigint)::numeric / nullif(v, 0) * 100, 4)
           as engagement_rate
from marts.dim_posts as p
cross join lateral generate_series(p.published_date_local, least(p.published_date_local + %(post_days)s - 1,
    %(end)s::date), interval '1 day') as d
cross join lateral (select (1000 + abs(hashtext(p.post_id)) %% 5000) / (1 + (d::date - p.published_date_local))
    as v) m;

create table marts.fct_account_metrics_daily as
select a.account_key, a.platform, a.account_id, d::date as metric_date,
       1000 + abs(hashtext(a.account_id)) %% 50000 + 3 * (d::date - %(start)s::date) as followers,
       3 as followers_net
from marts.dim_accounts as a
cross join generate_series(%(start)s::date, %(end)s::date, interval '1 day') as d;

create index on marts.dim_posts (post_key);
create index on marts.dim_posts (published_date_local);
create index on marts.fct_post_metrics_daily (metric_date);
create index on marts.fct_post_metrics_daily (post_key, metric_date);
create index on marts.fct_account_metrics_daily (account_key, metric_date);
analyze marts.dim_posts; analyze marts.fct_post_metrics_daily; analyze marts.fct_account_metrics_daily;
"""


def build_marts(conn, *, accounts: int, start: date, end: date, posts_per_account: int, post_days: int = 30,
                workspace: str = "bench") -> dict[str, int]:
    """(Re)create the four core marts with synthetic rows; returns the row count of each."""
    params = {"accounts": accounts, "start": start, "end": end, "days": (end - start).days + 1,
              "posts_per_account": posts_per_account, "post_days": post_days, "platforms": list(platforms()),
              "formats": json.dumps({name: list(spec.formats) for name, spec in platforms().items()}),
              "workspace": workspace}
    with conn, conn.cursor() as cur:
        cur.execute(DDL, params)
        counts = {}
        for table in ("dim_accounts", "dim_posts", "fct_post_metrics_daily", "fct_account_metrics_daily"):
            cur.execute(f"select count(*) from marts.{table}")
            counts[table] = cur.fetchone()[0]
    return counts
