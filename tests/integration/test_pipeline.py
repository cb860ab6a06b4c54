"""The whole graph through a real Dagster instance (Postgres storage), real dbt, real GX.

ingest (simulator → raw) → GX checks → dbt build (+ tests) → quality gate → weekly report.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.helpers import marts
from tidemark.dagster_home import prepare_dagster_home
from tidemark.pipeline import run_pipeline

START, END = date(2026, 11, 18), date(2026, 11, 20)


@pytest.fixture
def pipeline(runtime, monkeypatch):
    monkeypatch.setenv("DAGSTER_HOME", "")  # prepare_dagster_home sets it under TIDEMARK_HOME
    prepare_dagster_home(runtime.settings)
    return lambda: run_pipeline(runtime, ["youtube"], START, END, log=lambda message: None)


def mart_fingerprints(runtime) -> dict[str, str]:
    with runtime.connect() as conn, conn.cursor() as cur:
        prints = {}
        for mart in marts():
            cur.execute(f"select count(*), md5(coalesce(string_agg(t::text, '|' order by t::text), '')) "
                        f"from marts.{mart} as t")
            prints[mart] = cur.fetchone()
        return prints


def test_full_graph_twice_gives_identical_marts_and_a_report(runtime, pipeline):
    first = pipeline()
    assert first.success, first.runs
    # every mart has rows, except insights that may truly be empty (no anomaly, no A/B test declared)
    empty = {mart for mart in marts() if first.mart_rows[mart] == 0}
    assert empty <= {"mart_anomalies", "mart_ab_tests"}, empty
    assert first.checks["failed"] == 0 and first.checks["passed"] > 10
    files = [Path(path) for path in first.report_files]
    assert {path.name for path in files} >= {"report.json", "summary.csv", "top_posts.csv", "definitions.csv"}
    assert all(path.exists() for path in files)
    kinds = {path.parent.parent.name for path in files}
    assert kinds == {"weekly_performance", "weekly_growth", "weekly_comparison", "community_analytics", "community_daily", "community_geo"}
    weekly = [path for path in files if path.parent.parent.name.startswith("weekly_")]
    assert all("2026-11-09_2026-11-15" in str(path) for path in weekly)  # previous ISO week of 2026-11-20 (Madrid)
    fingerprints = mart_fingerprints(runtime)

    second = pipeline()
    assert second.success
    assert mart_fingerprints(runtime) == fingerprints  # same clock and seed → identical marts


def assert_runs_recorded(summary) -> None:
    """Every run of a `tidemark run` is in the Dagster instance (Postgres run storage), so the UI shows it."""
    import dagster as dg

    instance = dg.DagsterInstance.get()
    assert "postgres" in type(instance.run_storage).__module__
    recorded = {record.run_id for record in instance.get_runs()}
    assert {run_id for _, run_id, _ in summary.runs} <= recorded


def test_blocking_check_failure_blocks_the_report(runtime, pipeline):
    clean = pipeline()
    assert clean.success
    assert_runs_recorded(clean)  # checked here rather than in a test of its own: one full pipeline run less
    with runtime.connect() as conn, conn.cursor() as cur:
        cur.execute("select count(*) from ops.analytics_reports")
        reports_before = cur.fetchone()[0]
        # A corrupted snapshot lands (negative view count): the GX suite must quarantine it.
        cur.execute("""
            insert into raw.youtube_videos (account_id, record_key, payload, payload_hash, endpoint, run_id, fetched_at)
            select account_id, record_key,
                   jsonb_set(payload, '{statistics,viewCount}', '"-5"'), 'corrupt', endpoint, 'test', fetched_at
            from raw.youtube_videos limit 1
            returning raw_id""")
        corrupt_id = cur.fetchone()[0]
        conn.commit()

    blocked = pipeline()
    assert not blocked.success
    assert_runs_recorded(blocked)  # failed runs too
    assert any("gx_youtube_videos" in name for name in blocked.failed_checks)
    # the social gate holds the social report back; the community's reports have their own gate
    kinds = {Path(path).parent.parent.name for path in blocked.report_files}
    assert kinds == {"community_analytics", "community_daily", "community_geo"}
    with runtime.connect() as conn, conn.cursor() as cur:
        cur.execute("select count(*) from ops.analytics_reports")
        assert cur.fetchone()[0] == reports_before
        cur.execute("select reason from ops.quarantine where raw_id = %s", (corrupt_id,))
        assert "view_count is a non-negative integer" in cur.fetchone()[0]
        # The good records still reached the marts; the corrupt one did not.
        cur.execute("select count(*) from marts.dim_posts")
        assert cur.fetchone()[0] > 0


def test_a_second_concurrent_run_is_refused(runtime):
    from tidemark.pipeline import RunInProgress, exclusive_run

    with exclusive_run(runtime):
        with pytest.raises(RunInProgress, match="another `tidemark run` is in progress"):
            with exclusive_run(runtime):
                pass
    with exclusive_run(runtime):  # released afterwards
        pass
