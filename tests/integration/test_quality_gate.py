"""The gate end to end (real Dagster, dbt, GX): a blocking fault from the simulator stops the report,
quarantines the offending records, lets the good ones reach the marts; release brings them back.

One YouTube account, two pipeline runs (clean, then `negative_counters`): dbt runs only here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from expectations.quarantine import list_quarantined, release
from tidemark.dagster_home import prepare_dagster_home
from tidemark.pipeline import run_pipeline

FIXTURE = Path(__file__).parents[1] / "fixtures" / "quality_youtube.yaml"


@pytest.fixture
def pipeline(tidemark_env, monkeypatch):
    from tidemark.runtime import load_runtime

    monkeypatch.setenv("TIDEMARK_CONFIG", str(FIXTURE))
    monkeypatch.setenv("TIDEMARK_INITIAL_SYNC_DAYS", "30")
    monkeypatch.setenv("DAGSTER_HOME", "")
    runtime = load_runtime()
    prepare_dagster_home(runtime.settings)
    return runtime, lambda: run_pipeline(runtime, ["youtube"], log=lambda message: None)


def rows(runtime, query: str, *params) -> list[tuple]:
    with runtime.connect() as conn, conn.cursor() as cur:
        cur.execute(query, params)
        return cur.fetchall()


def test_blocking_fault_blocks_the_report_and_keeps_good_data(pipeline, monkeypatch):
    runtime, run = pipeline
    clean = run()
    assert clean.success and clean.checks["failed"] == 0, clean.failed_checks
    assert clean.report_files
    recorded = dict(rows(runtime, "select split_part(check_name, '_', 1), count(*) from ops.check_results group by 1"))
    assert {"gx", "dbt", "row", "freshness"} <= set(recorded)  # every family is kept in ops.check_results
    reports_before = rows(runtime, "select count(*) from ops.analytics_reports")[0][0]
    posts_before = rows(runtime, "select count(*) from marts.dim_posts")[0][0]

    monkeypatch.setenv("TIDEMARK_SIM_FAULTS", json.dumps({"youtube": {"negative_counters": True}}))
    blocked = run()
    assert not blocked.success
    assert any(name.endswith(":gx_youtube_videos") for name in blocked.failed_checks), blocked.failed_checks
    assert blocked.report_files == []
    assert rows(runtime, "select count(*) from ops.analytics_reports")[0][0] == reports_before  # previous kept
    with runtime.connect() as conn:
        held = list_quarantined(conn, platform="youtube")
    assert held and all(r["run_id"] == blocked.runs[0][1] for r in held)
    # Good records of the same batch reached the marts; the quarantined ones did not reach staging.
    assert rows(runtime, "select count(*) from marts.dim_posts")[0][0] == posts_before
    video_ids = [r["raw_id"] for r in held if r["raw_table"] == "youtube_videos"]
    assert rows(runtime, "select count(*) from staging.stg_youtube__video_snapshots where raw_id = any(%s)",
                video_ids)[0][0] == 0

    with runtime.connect() as conn:
        kept = release(conn, table="youtube_videos")
        assert kept.released == [] and len(kept.still_failing) == len(video_ids)  # still breaks the rules
        forced = release(conn, table="youtube_videos", force=True, note="test: accepted as reported")
    assert len(forced.released) == len(video_ids)
    assert rows(runtime, "select count(*) from staging.stg_youtube__video_snapshots where raw_id = any(%s)",
                video_ids)[0][0] == len(video_ids)  # staging (views) sees released rows at once
    assert rows(runtime, "select count(*) from ops.quarantine where raw_table = 'youtube_videos'")[0][0] == len(
        video_ids)  # nothing deleted
