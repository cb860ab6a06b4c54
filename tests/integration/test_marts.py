"""The social marts on real data: YouTube ingested from the simulator, real dbt, real Postgres.

Every mart is filled; daily deltas reconcile with cumulative and lifetime values; the
cross-platform content totals add up to the per-post numbers; an incremental build gives exactly
what a full build gives.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from ingestion.registry import all_raw_tables
from ingestion.runner import run_platform
from ingestion.sync import Window
from orchestration.transform.project import with_vars

MARTS = (
    "dim_accounts", "dim_posts", "fct_post_metrics_daily", "fct_account_metrics_daily",
    "mart_content_performance", "mart_content_totals", "mart_dashboard_daily", "mart_top_posts",
    "mart_posting_times", "mart_period_comparison", "mart_platform_comparison", "mart_hashtag_performance",
    "mart_format_performance", "mart_audience_demographics", "mart_metrics_long", "mart_data_coverage",
)
INCREMENTAL = {"fct_post_metrics_daily": "metric_date", "fct_account_metrics_daily": "metric_date",
               "mart_dashboard_daily": "metric_date", "mart_metrics_long": "metric_date"}


def dbt_build(runtime, tmp_path: Path, *extra: str) -> None:
    from core.warehouse.dbt_env import dbt_env

    project = str(runtime.settings.dbt_project_dir)
    # Own target/log paths: other dbt runs may share the project directory.
    command = [str(Path(sys.executable).parent / "dbt"), "build", "--select", "+marts.social", *extra,
               "--project-dir", project, "--profiles-dir", project,
               "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs")]
    done = subprocess.run(with_vars(command), env=os.environ | dbt_env(runtime.warehouse_url), capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stdout[-4000:]


def rows(runtime, query: str) -> list[tuple]:
    with runtime.connect() as conn, conn.cursor() as cur:
        cur.execute(query)
        return cur.fetchall()


def fingerprints(runtime) -> dict[str, tuple]:
    return {mart: rows(runtime, f"select count(*), md5(coalesce(string_agg(t::text, '|' order by t::text), '')) "
                                f"from marts.{mart} as t")[0] for mart in MARTS}


@pytest.fixture
def built(runtime, tmp_path):
    runtime.prepare_warehouse(all_raw_tables())
    results = run_platform(runtime, "youtube", Window(date(2026, 11, 18), date(2026, 11, 20)), "marts",
                           sleep=lambda seconds: None)
    assert {result.status for result in results} == {"success"}
    with runtime.connect() as conn, conn, conn.cursor() as cur:  # a view of a model renamed since
        cur.execute("create schema if not exists staging; create view staging.stg_youtube__channel_daily as select 1")
    dbt_build(runtime, tmp_path, "--full-refresh")
    assert rows(runtime, "select to_regclass('staging.stg_youtube__channel_daily')") == [(None,)]
    return runtime


def test_marts_are_filled_and_reconcile(built):
    """One build, read-only checks (a build per test would double the run time)."""
    empty = [mart for mart in MARTS if rows(built, f"select count(*) from marts.{mart}")[0][0] == 0]
    assert empty == []
    assert_daily_deltas_add_up_to_cumulative_and_lifetime_values(built)
    assert_content_totals_add_up_to_the_posts(built)


def assert_daily_deltas_add_up_to_cumulative_and_lifetime_values(built):
    metrics = ("views", "likes", "comments", "shares", "engagements", "watch_time_minutes", "swipe_aways")
    mismatches = rows(built, f"""
        with sums as (
            select post_key, {", ".join(f"sum({m}) as {m}" for m in metrics)}, max(metric_date) as last_date
            from marts.fct_post_metrics_daily group by 1
        )
        select sums.post_key
        from sums
        inner join marts.fct_post_metrics_daily as last
            on last.post_key = sums.post_key and last.metric_date = sums.last_date
        where {" or ".join(f"sums.{m} is distinct from last.cumulative_{m}" for m in metrics)}""")
    assert mismatches == []
    # Lifetime counters that come from the daily report (YouTube shares, watch time) equal the sum
    # of the daily values plus, for videos older than the first day rows, the totals of the days
    # before them; every counter of snapshot-diff platforms equals the sum of the daily values.
    lifetime = rows(built, """
        with sums as (
            select post_key, sum(shares) as shares, sum(watch_time_minutes) as watch_time_minutes,
                   sum(views) as views, sum(likes) as likes, bool_and(metric_source = 'snapshot_diff') as is_diff
            from marts.fct_post_metrics_daily group by 1
        ),
        before as (
            select posts.post_key, totals.shares, totals.watch_time_minutes
            from staging.stg_youtube__video_totals as totals
            inner join marts.dim_posts as posts
                on posts.platform = 'youtube' and posts.account_id = totals.account_id
                and posts.post_id = totals.video_id
        )
        select count(*), count(*) filter (
            where sums.shares + coalesce(before.shares, 0) is distinct from performance.shares
                or sums.watch_time_minutes + coalesce(before.watch_time_minutes, 0)
                    is distinct from performance.watch_time_minutes
                or (sums.is_diff and (sums.views, sums.likes) is distinct from (performance.views, performance.likes))),
            count(before.post_key)
        from sums inner join marts.mart_content_performance as performance on sums.post_key = performance.post_key
        left join before on sums.post_key = before.post_key""")
    assert lifetime[0][0] > 50 and lifetime[0][1] == 0
    assert lifetime[0][2] > 0, "no video older than the first day rows: the totals before them go untested"


def assert_content_totals_add_up_to_the_posts(built):
    mismatches = rows(built, """
        with per_post as (
            select cross_post_group, count(*) as posts, sum(views) as views,
                   coalesce(sum(likes), 0) + coalesce(sum(comments), 0) + coalesce(sum(shares), 0) as engagement
            from marts.mart_content_performance group by 1
        )
        select totals.content_item_id
        from marts.mart_content_totals as totals
        full outer join per_post on totals.content_item_id = per_post.cross_post_group
        where (totals.posts_count, totals.total_views, totals.total_engagement)
            is distinct from (per_post.posts, per_post.views, per_post.engagement)""")
    assert mismatches == []
    grand = rows(built, """select (select sum(total_views) from marts.mart_content_totals),
                                  (select sum(views) from marts.mart_content_performance),
                                  (select sum(lifetime_views) from staging.int_social__posts)""")[0]
    assert grand[0] == grand[1] == grand[2] > 0


def test_incremental_build_equals_full_build(built, tmp_path):
    full = fingerprints(built)
    # Pretend the last five days had not arrived yet (more than the lookback), then build incrementally.
    with built.connect() as conn, conn.cursor() as cur:
        for table, column in INCREMENTAL.items():
            cur.execute(f"delete from marts.{table} where {column} > (select max({column}) - 5 from marts.{table})")
        conn.commit()
    dbt_build(built, tmp_path)
    assert fingerprints(built) == full
    dbt_build(built, tmp_path)  # nothing new: still identical
    assert fingerprints(built) == full
