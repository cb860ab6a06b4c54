"""Benchmark of the social marts on a large synthetic workspace (a script, not a test).

1,000 accounts × 200 posts over 2 years, each post with 60 days of daily metrics (≈ 11.7 M
post-day rows), 730 account-days per account. The rows are generated with `generate_series`
straight into a scratch schema `bench` in the canonical intermediate shape, exposed to dbt as one
more platform (`int_bench__*` views in a throw-away copy of the dbt project); everything from
`int_social__*` on is the project's real code. The staging layer (raw JSON → typed rows) is not
part of this measurement.

It reports the full build time, then adds one more day of data (every post younger than 60 days
gets a row, plus one account-day per account) and reports the incremental build time, with
per-model timings for both (from dbt's run_results.json).

    .venv/bin/python benchmarks/bench_marts.py [--accounts 1000] [--posts 200] [--days 730]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg2

from core.warehouse.dbt_env import dbt_env
from core.warehouse.embedded import EmbeddedPostgres
from ingestion.registry import all_raw_tables
from tidemark.runtime import load_runtime

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

START = "2024-11-20"
PLATFORM = "bench"  # a synthetic platform: its int_bench__* models replace the registry's list (--vars)

INT_MODELS = {
    "posts": f"""select '{PLATFORM}'::text as platform, account_id, post_id, format, published_at, title, caption,
        duration_s, permalink, lifetime_views, lifetime_reach, lifetime_impressions, lifetime_likes,
        lifetime_comments, lifetime_shares, lifetime_saves, lifetime_clicks, lifetime_watch_time_minutes,
        lifetime_avg_view_duration_s, lifetime_completions, lifetime_swipe_aways, snapshot_at
        from bench.posts""",
    "post_metrics_daily": f"""select '{PLATFORM}'::text as platform, account_id, post_id, metric_date, views, likes,
        comments, shares, saves, clicks, reach, impressions, watch_time_minutes, avg_view_duration_s,
        engaged_views, completions, swipe_aways, 'daily_report'::text as metric_source, has_negative_delta
        from bench.post_daily""",
    "account_metrics_daily": f"""select '{PLATFORM}'::text as platform, account_id, metric_date, followers, following,
        profile_views, website_clicks, reach, impressions, views, likes, comments, shares, saves,
        watch_time_minutes, followers_gained, followers_lost
        from bench.account_daily""",
    "audience": f"""select '{PLATFORM}'::text as platform, account_id, snapshot_date, audience, dimension,
        dimension_value, value, value_kind from bench.audience""",
}

GENERATE = """
drop schema if exists bench cascade;
create schema bench;

create table bench.posts as
select
    'acc' || lpad(account::text, 5, '0') as account_id,
    'p' || account || '_' || number as post_id,
    (array['short', 'long_video', 'image', 'carousel', 'text'])[1 + (account + number) %% 5] as format,
    %(start)s::timestamptz + ((number * %(days)s::numeric / %(posts)s) || ' days')::interval
        + ((account %% 24) || ' hours')::interval as published_at,
    'Bench video ' || account || ' ' || number || ' #tag' || (number %% 20) as title,
    'caption #tag' || (number %% 7) as caption,
    30 + number %% 600 as duration_s,
    'https://example.invalid/' || account || '/' || number as permalink,
    null::bigint as lifetime_views, null::bigint as lifetime_reach, null::bigint as lifetime_impressions,
    null::bigint as lifetime_likes, null::bigint as lifetime_comments, null::bigint as lifetime_shares,
    null::bigint as lifetime_saves, null::bigint as lifetime_clicks, null::numeric as lifetime_watch_time_minutes,
    null::numeric as lifetime_avg_view_duration_s, null::bigint as lifetime_completions,
    null::bigint as lifetime_swipe_aways, now() as snapshot_at
from generate_series(1, %(accounts)s) as account
cross join generate_series(0, %(posts)s - 1) as number;

create table bench.post_daily as
select
    posts.account_id, posts.post_id, day.metric_date,
    views, views / 20 as likes, views / 100 as comments, views / 200 as shares, views / 150 as saves,
    null::bigint as clicks, (views * 0.8)::bigint as reach, views * 2 as impressions,
    round(views * 0.5, 2) as watch_time_minutes, 30.0 as avg_view_duration_s, (views * 0.7)::bigint as engaged_views,
    (views * 0.3)::bigint as completions, (views * 0.2)::bigint as swipe_aways, false as has_negative_delta
from bench.posts as posts
cross join lateral (
    select (posts.published_at::date + offset_days) as metric_date,
           (1 + (hashtext(posts.post_id) & 255)) * 40 / (1 + offset_days) as views
    from generate_series(0, 59) as offset_days
    where posts.published_at::date + offset_days <= %(end)s::date
) as day;

create table bench.account_daily as
select
    'acc' || lpad(account::text, 5, '0') as account_id, day::date as metric_date,
    1000 + account + (day::date - %(start)s::date) * 3 as followers, 100::bigint as following,
    50::bigint as profile_views, 5::bigint as website_clicks, 5000::bigint as reach, 9000::bigint as impressions,
    4000::bigint as views, 200::bigint as likes, 40::bigint as comments, 20::bigint as shares, 10::bigint as saves,
    2000.0 as watch_time_minutes, 4::bigint as followers_gained, 1::bigint as followers_lost
from generate_series(1, %(accounts)s) as account
cross join generate_series(%(start)s::date, %(end)s::date, interval '1 day') as day;

create table bench.audience as
select 'acc' || lpad(account::text, 5, '0') as account_id, %(end)s::date as snapshot_date, 'followers'::text as audience,
       'country'::text as dimension, country as dimension_value, (account %% 50 + 1)::numeric as value, 'count'::text as value_kind
from generate_series(1, %(accounts)s) as account
cross join unnest(array['ES', 'US', 'MX', 'DE']) as country;

update bench.posts set
    lifetime_views = sums.views, lifetime_likes = sums.likes, lifetime_comments = sums.comments,
    lifetime_shares = sums.shares, lifetime_saves = sums.saves, lifetime_reach = sums.reach,
    lifetime_impressions = sums.impressions, lifetime_watch_time_minutes = sums.watch_time_minutes,
    lifetime_completions = sums.completions, lifetime_swipe_aways = sums.swipe_aways
from (
    select post_id, sum(views) as views, sum(likes) as likes, sum(comments) as comments, sum(shares) as shares,
           sum(saves) as saves, sum(reach) as reach, sum(impressions) as impressions,
           sum(watch_time_minutes) as watch_time_minutes, sum(completions) as completions, sum(swipe_aways) as swipe_aways
    from bench.post_daily group by 1
) as sums
where posts.post_id = sums.post_id;

create index on bench.post_daily (metric_date);
create index on bench.account_daily (metric_date);
analyze bench.posts; analyze bench.post_daily; analyze bench.account_daily;

delete from ops.workspace_accounts;
insert into ops.workspace_accounts (workspace_id, platform, account_id, account_name, timezone, is_simulated)
select 'bench', %(platform)s, 'acc' || lpad(account::text, 5, '0'), 'Bench ' || account,
       (array['Europe/Madrid', 'America/New_York', 'Asia/Tokyo'])[1 + account %% 3], true
from generate_series(1, %(accounts)s) as account;
"""

ONE_MORE_DAY = """
insert into bench.post_daily
select posts.account_id, posts.post_id, %(day)s::date,
       views, views / 20, views / 100, views / 200, views / 150, null, (views * 0.8)::bigint, views * 2,
       round(views * 0.5, 2), 30.0, (views * 0.7)::bigint, (views * 0.3)::bigint, (views * 0.2)::bigint, false
from bench.posts as posts
cross join lateral (select (1 + (hashtext(posts.post_id) & 255)) * 40 / (1 + (%(day)s::date - posts.published_at::date)) as views) as v
where posts.published_at::date between %(day)s::date - 59 and %(day)s::date;
insert into bench.account_daily
select account_id, %(day)s::date, followers + 3, following, profile_views, website_clicks, reach, impressions, views,
       likes, comments, shares, saves, watch_time_minutes, followers_gained, followers_lost
from bench.account_daily where metric_date = %(day)s::date - 1;
analyze bench.post_daily; analyze bench.account_daily;
"""


def server_url(args) -> str:
    if args.database_url:
        return args.database_url
    return EmbeddedPostgres(Path(args.work_dir) / "pg").ensure_running().url("postgres")


def prepare_database(admin_url: str, name: str) -> str:
    admin = psycopg2.connect(admin_url)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'drop database if exists "{name}" with (force)')
        cur.execute(f'create database "{name}"')
    admin.close()
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


def prepare_project(work_dir: Path) -> Path:
    project = work_dir / "dbt_project"
    shutil.rmtree(project, ignore_errors=True)
    shutil.copytree(ROOT / "dbt_project", project, ignore=shutil.ignore_patterns("target", "logs", "dbt_packages"))
    models = project / "models" / "intermediate" / "social" / "bench"
    models.mkdir(parents=True)
    for suffix, sql in INT_MODELS.items():
        (models / f"int_bench__{suffix}.sql").write_text(sql + "\n")
    return project


def dbt_run(project: Path, url: str, *args: str) -> tuple[float, dict[str, float]]:
    command = [str(Path(sys.executable).parent / "dbt"), *args, "--vars", "{platforms: [bench]}",
               "--project-dir", str(project), "--profiles-dir", str(project)]
    started = time.monotonic()
    done = subprocess.run(command, env=os.environ | dbt_env(url), capture_output=True, text=True)
    elapsed = time.monotonic() - started
    if done.returncode != 0:
        sys.exit(done.stdout[-5000:])
    results = json.loads((project / "target" / "run_results.json").read_text())["results"]
    return elapsed, {r["unique_id"].split(".")[-1]: r["execution_time"] for r in results}


def scalar(url: str, query: str):
    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        cur.execute(query)
        return cur.fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=1000)
    parser.add_argument("--posts", type=int, default=200, help="posts per account over the period")
    parser.add_argument("--days", type=int, default=730)
    parser.add_argument("--database-url", help="a maintenance database URL (default: an embedded server)")
    parser.add_argument("--work-dir", default=os.path.join(tempfile.gettempdir(), "tidemark_bench"))
    args = parser.parse_args()
    work_dir = Path(args.work_dir)
    work_dir.mkdir(parents=True, exist_ok=True)
    url = prepare_database(server_url(args), "tidemark_bench")
    os.environ.update({"DATABASE_URL": url, "TIDEMARK_HOME": str(work_dir / "home"),
                       "TIDEMARK_CONFIG": str(ROOT / "tests" / "fixtures" / "tidemark.yaml")})
    load_runtime().prepare_warehouse(all_raw_tables())
    end = scalar(url, f"select ('{START}'::date + {args.days - 1})::text")
    params = {"start": START, "end": end, "days": args.days, "posts": args.posts, "accounts": args.accounts,
              "platform": PLATFORM}
    started = time.monotonic()
    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        cur.execute(GENERATE, params)
    print(f"generated in {time.monotonic() - started:.0f} s: "
          f"{scalar(url, 'select count(*) from bench.posts'):,} posts, "
          f"{scalar(url, 'select count(*) from bench.post_daily'):,} post-day rows, "
          f"{scalar(url, 'select count(*) from bench.account_daily'):,} account-day rows", flush=True)

    project = prepare_project(work_dir)
    dbt_run(project, url, "seed")
    full, full_models = dbt_run(project, url, "run", "--select", "+marts.social", "--full-refresh")
    print(f"full build: {full:.1f} s", flush=True)

    day = scalar(url, f"select ('{end}'::date + 1)::text")
    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        cur.execute(ONE_MORE_DAY, {"day": day})
    new_post_days = scalar(url, f"select count(*) from bench.post_daily where metric_date = '{day}'")
    new_account_days = scalar(url, f"select count(*) from bench.account_daily where metric_date = '{day}'")
    print(f"one more day ({day}): {new_post_days:,} new post-day rows, {new_account_days:,} account-day rows",
          flush=True)
    incremental, incremental_models = dbt_run(project, url, "run", "--select", "+marts.social")
    print(f"incremental build: {incremental:.1f} s\n")

    print(f"{'model':<36}{'full s':>10}{'incremental s':>16}")
    for model in sorted(full_models, key=lambda m: -full_models[m]):
        if full_models[model] >= 0.05 or model.startswith(("fct_", "mart_", "dim_")):
            print(f"{model:<36}{full_models[model]:>10.2f}{incremental_models.get(model, 0):>16.2f}")
    print(f"{'total (wall clock, incl. dbt start-up)':<36}{full:>10.1f}{incremental:>16.1f}")
    print(f"fct_post_metrics_daily rows: {scalar(url, 'select count(*) from marts.fct_post_metrics_daily'):,}")


if __name__ == "__main__":
    main()
