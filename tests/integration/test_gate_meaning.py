"""The gate's checks of meaning fire on a deliberately broken warehouse — and only the one broken.

A real warehouse: YouTube, Facebook and X synced from the simulator three times, three days apart
(snapshot platforms need readings on several days), the marts built by real dbt. Each case breaks
the marts the way the check exists for, runs the four checks with real dbt, expects that check to
go off with its severity (and no other, unless the break rightly concerns it too, said where),
and restores the marts. See docs/quality.md, "Checks of
meaning".
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.truth_harness import dbt_build, query, run_timeline

CHECKS = {  # dbt test → the status it has when it goes off
    "quality_no_lifetime_lump": "fail",
    "quality_compared_periods_equally_complete": "fail",
    "quality_posting_accounts_have_metrics": "warn",
    "quality_post_totals_within_account_totals": "warn",
}
SYNCS = [datetime(2026, 11, 10, 12, tzinfo=UTC) + timedelta(days=3 * k) for k in range(3)]


def run_checks(runtime, tmp_path: Path) -> dict[str, str]:
    from core.warehouse.dbt_env import dbt_env
    from orchestration.transform.project import with_vars

    project = str(runtime.settings.dbt_project_dir)
    target = tmp_path / "checks"
    command = [str(Path(sys.executable).parent / "dbt"), "test", "--select", *CHECKS,
               "--project-dir", project, "--profiles-dir", project,
               "--target-path", str(target), "--log-path", str(tmp_path / "logs")]
    subprocess.run(with_vars(command), env=os.environ | dbt_env(runtime.warehouse_url), capture_output=True,
                   text=True)
    results = json.loads((target / "run_results.json").read_text())["results"]
    return {r["unique_id"].split(".")[2]: r["status"] for r in results if r["unique_id"].startswith("test.")}


def fired(statuses: dict[str, str]) -> set[str]:
    assert set(statuses) == set(CHECKS), statuses
    assert not [s for s in statuses.values() if s == "error"], statuses  # a check that cannot run
    return {name for name, status in statuses.items() if status != "pass"}


def execute(runtime, *statements: str) -> None:
    with runtime.connect() as conn, conn, conn.cursor() as cur:
        for statement in statements:
            cur.execute(statement)


@pytest.fixture
def warehouse(tidemark_env, monkeypatch, tmp_path):
    from tidemark.runtime import load_runtime

    monkeypatch.setenv("TIDEMARK_CONFIG", str(Path(__file__).parents[1] / "fixtures" / "all_platforms.yaml"))
    for name in ("TIDEMARK_SIM_HISTORY_DAYS", "TIDEMARK_INITIAL_SYNC_DAYS"):
        monkeypatch.setenv(name, "45")  # two compared weeks and more, quickly
    log = run_timeline(monkeypatch, SYNCS, platforms=("youtube", "facebook", "x"))
    assert log.failures == []
    runtime = load_runtime()
    assert dbt_build(runtime, tmp_path) == ""
    return runtime


def backup(runtime, table: str) -> str:
    execute(runtime, f"create table marts._backup_{table} as select * from marts.{table}")
    return table


def restore(runtime, table: str) -> None:
    execute(runtime, f"truncate marts.{table}", f"insert into marts.{table} select * from marts._backup_{table}",
            f"drop table marts._backup_{table}")


def test_each_check_of_meaning_fires_on_the_break_it_exists_for(warehouse, tmp_path):
    assert fired(run_checks(warehouse, tmp_path)) == set(), "a check goes off on a sound warehouse"

    # 1. a lifetime lump: a post's whole lifetime on one day long after its launch
    lump = query(warehouse, """
        select daily.post_key, daily.metric_date from marts.fct_post_metrics_daily as daily
        inner join marts.dim_posts as posts using (post_key)
        where daily.metric_source = 'snapshot_diff' and posts.platform = 'facebook'
            and daily.metric_date > posts.published_at::date + 2
        order by daily.metric_date, daily.post_key limit 1""")[0]
    backup(warehouse, "fct_post_metrics_daily")
    execute(warehouse, f"update marts.fct_post_metrics_daily set views = views + 100000 "
                       f"where post_key = '{lump['post_key']}' and metric_date = '{lump['metric_date']}'")
    statuses = run_checks(warehouse, tmp_path)
    restore(warehouse, "fct_post_metrics_daily")
    # 100,000 extra views on a Page's post may also exceed the Page's own views: that check may see it too
    assert "quality_no_lifetime_lump" in fired(statuses)
    assert fired(statuses) <= {"quality_no_lifetime_lump", "quality_post_totals_within_account_totals"}
    assert statuses["quality_no_lifetime_lump"] == "fail"

    # 2. a compared window with an incomplete day (the mart keeps comparing as before)
    day = query(warehouse, """
        select comparison.account_key, comparison.current_end_date from marts.mart_period_comparison as comparison
        where comparison.scope = 'account' and comparison.period = 'week' and comparison.views_change is not null
        order by comparison.account_key limit 1""")[0]
    backup(warehouse, "fct_account_metrics_daily")
    execute(warehouse, f"update marts.fct_account_metrics_daily set is_complete = false "
                       f"where account_key = '{day['account_key']}' and metric_date = '{day['current_end_date']}'")
    statuses = run_checks(warehouse, tmp_path)
    restore(warehouse, "fct_account_metrics_daily")
    assert fired(statuses) == {"quality_compared_periods_equally_complete"}
    assert statuses["quality_compared_periods_equally_complete"] == "fail"

    # 3. an account that published this week with no metrics at all for those days
    quiet = query(warehouse, """
        select posts.account_key, min(posts.published_at)::date as first_day from marts.dim_posts as posts
        inner join marts.mart_data_coverage as coverage using (account_key)
        where posts.platform = 'facebook'
            and posts.published_at::date >= coverage.last_synced_at::date - 7
        group by 1 order by 1 limit 1""")[0]
    backup(warehouse, "fct_account_metrics_daily")
    backup(warehouse, "fct_post_metrics_daily")
    execute(warehouse,
            f"delete from marts.fct_account_metrics_daily where account_key = '{quiet['account_key']}' "
            f"and metric_date >= '{quiet['first_day']}'",
            f"delete from marts.fct_post_metrics_daily where account_key = '{quiet['account_key']}' "
            f"and metric_date >= '{quiet['first_day']}'")
    statuses = run_checks(warehouse, tmp_path)
    restore(warehouse, "fct_account_metrics_daily")
    restore(warehouse, "fct_post_metrics_daily")
    # the days it lost were compared in mart_period_comparison: that check rightly sees it too
    assert "quality_posting_accounts_have_metrics" in fired(statuses)
    assert fired(statuses) <= {"quality_posting_accounts_have_metrics", "quality_compared_periods_equally_complete"}
    assert statuses["quality_posting_accounts_have_metrics"] == "warn"

    # 4. posts' days adding up to far more likes than the channel itself reports for the same days
    channel = query(warehouse, """
        select account_key from marts.fct_account_metrics_daily
        where platform = 'youtube' and is_complete and activity_source = 'account_report' and likes is not null
        group by 1 order by 1 limit 1""")[0]["account_key"]
    backup(warehouse, "fct_post_metrics_daily")
    execute(warehouse, f"update marts.fct_post_metrics_daily set likes = likes * 20 + 50 "
                       f"where account_key = '{channel}'")
    statuses = run_checks(warehouse, tmp_path)
    restore(warehouse, "fct_post_metrics_daily")
    assert fired(statuses) == {"quality_post_totals_within_account_totals"}
    assert statuses["quality_post_totals_within_account_totals"] == "warn"

    assert fired(run_checks(warehouse, tmp_path)) == set(), "restoring the marts did not quiet the checks"
