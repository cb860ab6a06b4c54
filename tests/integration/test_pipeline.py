"""The whole graph through a real Dagster instance (Postgres storage), real dbt, real GX.

ingest (simulator → raw) → GX checks → dbt build (+ tests) → quality gate → weekly reports; a blocking
fault from the simulator stops the social reports, quarantines the offending records and lets the good
ones reach the marts; release brings them back.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from expectations.quarantine import list_quarantined, release
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


def test_full_graph_twice_gives_identical_marts_then_a_blocking_fault_holds_the_report(runtime, pipeline, monkeypatch):
    """Clean twice (identical marts), then a blocking fault from the simulator: the gate holds the social
    report back, quarantines the offending records, lets the good ones through; release brings them back.
    One chain of three runs (each run of the whole graph is the suite's most expensive step)."""
    first = pipeline()
    assert first.success, first.runs
    assert_runs_recorded(first)
    # every mart has rows, except insights that may truly be empty (no anomaly, no A/B test declared)
    empty = {mart for mart in marts() if first.mart_rows[mart] == 0}
    assert empty <= {"mart_anomalies", "mart_ab_tests"}, empty
    assert first.checks["failed"] == 0 and first.checks["passed"] > 10
    files = [Path(path) for path in first.report_files]
    assert {path.name for path in files} >= {"report.json", "summary.csv", "top_posts.csv", "definitions.csv"}
    assert all(path.exists() for path in files)
    kinds = {path.parent.parent.name for path in files}
    assert kinds == {"weekly_performance", "weekly_growth", "weekly_comparison", "community_analytics",
                     "community_daily", "community_geo"}
    weekly = [path for path in files if path.parent.parent.name.startswith("weekly_")]
    assert all("2026-11-09_2026-11-15" in str(path) for path in weekly)  # previous ISO week of 2026-11-20 (Madrid)
    recorded = dict(rows(runtime, "select split_part(check_name, '_', 1), count(*) from ops.check_results group by 1"))
    assert {"gx", "dbt", "row", "freshness"} <= set(recorded)  # every family is kept in ops.check_results
    fingerprints = mart_fingerprints(runtime)

    second = pipeline()
    assert second.success
    assert mart_fingerprints(runtime) == fingerprints  # same clock and seed → identical marts

    reports_before = rows(runtime, "select count(*) from ops.analytics_reports")[0][0]
    posts_before = rows(runtime, "select count(*) from marts.dim_posts")[0][0]
    monkeypatch.setenv("TIDEMARK_SIM_FAULTS", json.dumps({"youtube": {"negative_counters": True}}))
    blocked = pipeline()
    assert not blocked.success
    assert_runs_recorded(blocked)  # failed runs too
    assert any(name.endswith(":gx_youtube_videos") for name in blocked.failed_checks), blocked.failed_checks
    # the social gate holds the social reports back; the community's reports have their own gate
    assert {Path(path).parent.parent.name for path in blocked.report_files} == {
        "community_analytics", "community_daily", "community_geo"}
    assert rows(runtime, "select count(*) from ops.analytics_reports")[0][0] == reports_before  # nothing new registered
    with runtime.connect() as conn:
        held = list_quarantined(conn, platform="youtube")
    assert held and all(r["run_id"] == blocked.runs[0][1] for r in held)
    assert all("view_count is a non-negative integer" in r["reason"] for r in held if r["raw_table"] == "youtube_videos")
    # good records of the same batch reached the marts; the quarantined ones did not reach staging
    assert rows(runtime, "select count(*) from marts.dim_posts")[0][0] == posts_before
    video_ids = [r["raw_id"] for r in held if r["raw_table"] == "youtube_videos"]
    staged = "select count(*) from staging.stg_youtube__video_snapshots where raw_id = any(%s)"
    assert video_ids and rows(runtime, staged, video_ids)[0][0] == 0

    with runtime.connect() as conn:
        kept = release(conn, table="youtube_videos")
        assert kept.released == [] and len(kept.still_failing) == len(video_ids)  # still breaks the rules
        forced = release(conn, table="youtube_videos", force=True, note="test: accepted as reported")
    assert len(forced.released) == len(video_ids)
    assert rows(runtime, staged, video_ids)[0][0] == len(video_ids)  # staging (views) sees released rows at once
    assert rows(runtime, "select count(*) from ops.quarantine where raw_table = 'youtube_videos'")[0][0] == len(
        video_ids)  # nothing deleted


def rows(runtime, query: str, *params) -> list[tuple]:
    with runtime.connect() as conn, conn.cursor() as cur:
        cur.execute(query, params)
        return cur.fetchall()


def assert_runs_recorded(summary) -> None:
    """Every run of a `tidemark run` is in the Dagster instance (Postgres run storage), so the UI shows it."""
    import dagster as dg

    instance = dg.DagsterInstance.get()
    assert "postgres" in type(instance.run_storage).__module__
    recorded = {record.run_id for record in instance.get_runs()}
    assert {run_id for _, run_id, _ in summary.runs} <= recorded


def test_a_second_concurrent_run_is_refused(runtime):
    from tidemark.pipeline import RunInProgress, exclusive_run

    with exclusive_run(runtime):
        with pytest.raises(RunInProgress, match="another `tidemark run` is in progress"):
            with exclusive_run(runtime):
                pass
    with exclusive_run(runtime):  # released afterwards
        pass
