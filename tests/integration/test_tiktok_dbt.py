"""TikTok raw → staging → intermediate with real dbt: two snapshot days, then the canonical models.

Guards: the intermediate models carry exactly the canonical columns, daily values from snapshot
differences add back up to the latest lifetime counts, Business API days reach the account model,
and the staging tests (unique + not_null keys) pass.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date

import pytest

from ingestion.registry import all_raw_tables
from ingestion.runner import run_platform
from ingestion.sync import Window
from tests.canonical import assert_canonical_columns, baseline_contract_breaks
from tests.conftest import FIXTURES


@pytest.fixture
def two_days_synced(tidemark_env, monkeypatch):
    from tidemark.runtime import load_runtime

    monkeypatch.setenv("TIDEMARK_CONFIG", str(FIXTURES / "tiktok.yaml"))
    for day, now in ((date(2026, 11, 19), "2026-11-19T12:00:00+00:00"), (date(2026, 11, 20), tidemark_env[
            "TIDEMARK_SIM_NOW"])):
        monkeypatch.setenv("TIDEMARK_SIM_NOW", now)
        runtime = load_runtime()
        runtime.prepare_warehouse(all_raw_tables())
        results = run_platform(runtime, "tiktok", Window(day, day), f"run-{day}", sleep=lambda seconds: None)
        assert {r.status for r in results} == {"success"}
    return runtime


def rows(runtime, query):
    with runtime.connect() as conn, conn.cursor() as cur:
        cur.execute(query)
        return cur.fetchall()


def test_dbt_builds_canonical_tiktok_models(two_days_synced, tmp_path):
    runtime = two_days_synced
    command = [sys.executable, "-m", "tidemark.cli", "dbt", "--", "build", "--select", "staging.social.tiktok",
               "intermediate.social.tiktok", "--vars", "{platforms: [youtube, tiktok]}",
               "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs")]
    done = subprocess.run(command, env=os.environ.copy(), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:]
    assert_canonical_columns(runtime, "tiktok")
    assert baseline_contract_breaks(runtime, "tiktok", "views") == 0
    days = rows(runtime, "select count(*), count(profile_views) from staging.int_tiktok__account_metrics_daily")
    assert days[0][1] >= 50  # Business API days of the kitchen account
    formats = rows(runtime, "select distinct format from staging.int_tiktok__posts order by 1")
    assert {row[0] for row in formats} <= {"short", "video"}


@pytest.mark.parametrize("module", ["tiktok_videos", "tiktok_business_daily", "tiktok_business_videos"])
def test_quality_suites_pass_on_simulated_data_and_catch_corruption(two_days_synced, module):
    import importlib

    from expectations.runner import validate_table

    runtime = two_days_synced
    spec = importlib.import_module(f"expectations.suites.tiktok.{module.removeprefix('tiktok_')}").build()
    with runtime.connect() as conn:
        clean = validate_table(runtime.warehouse_url, conn, spec, "run-gx", f"raw/{spec.table}")
    assert clean.passed and not clean.warnings, [o.name for o in clean.errors + clean.warnings]
    corrupt = {"tiktok_videos": "'{\"id\": \"7311\", \"create_time\": 1731800000000, \"view_count\": -3}'",
               "tiktok_business_daily": "'{\"date\": \"2026-13-01\", \"video_views\": \"1.2K\"}'",
               "tiktok_business_videos": "'{\"item_id\": \"x1\", \"reach\": 5, \"full_video_watched_rate\": 1.7}'"}
    with runtime.connect() as conn, conn.cursor() as cur:
        cur.execute(f"insert into raw.{spec.table} (account_id, record_key, payload, payload_hash, endpoint, run_id, "
                    f"fetched_at) values ('a', 'bad', {corrupt[module]}::jsonb, 'h', 'e', 'r', now())")
        conn.commit()
        outcome = validate_table(runtime.warehouse_url, conn, spec, "run-gx-2", f"raw/{spec.table}")
    assert not outcome.passed and outcome.quarantined == 1
