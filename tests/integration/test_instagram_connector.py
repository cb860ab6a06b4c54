"""The Instagram connector against the simulator and a real Postgres.

Covers: a full first sync (media pages to the end, every stream, cursor), an identical re-run
adding no raw rows, 80002 throttling retried, a long throttle stopping each account with
retry_at (data kept, cursor unmoved, next run resumes), an expired token named per account and
never retried, retired/rejected metrics skipped with warnings, "not enough viewers" landed as no
data, stories, a backfill of a past range, no secret stored, and the dbt models building.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from ingestion.registry import all_raw_tables
from ingestion.runner import run_platform
from ingestion.sync import Window
from tests.helpers import sim_world

FIXTURE = Path(__file__).parent.parent / "fixtures" / "instagram.yaml"
REQUESTED = Window(date(2026, 11, 18), date(2026, 11, 20))
ACCOUNTS = ("17841400000000101", "17841400000000202")


@pytest.fixture
def ig_env(tidemark_env, monkeypatch):
    monkeypatch.setenv("TIDEMARK_CONFIG", str(FIXTURE))
    return {**tidemark_env, "TIDEMARK_CONFIG": str(FIXTURE)}


def load(monkeypatch, faults: dict | None = None, **env: str):
    if faults is None:
        monkeypatch.delenv("TIDEMARK_SIM_FAULTS", raising=False)
    else:
        monkeypatch.setenv("TIDEMARK_SIM_FAULTS", json.dumps({"instagram": faults}))
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    from tidemark.runtime import load_runtime

    return load_runtime()


def sync(runtime, run_id="run-1", window=REQUESTED, sleeps=None):
    runtime.prepare_warehouse(all_raw_tables())
    return run_platform(runtime, "instagram", window, run_id,
                        sleep=(sleeps.append if sleeps is not None else lambda s: None))


def scalar(runtime, query, *args):
    with runtime.connect() as conn, conn.cursor() as cur:
        cur.execute(query, args)
        return cur.fetchone()[0]


def world(runtime):
    return sim_world(runtime)


def sim_stats():
    from tidemark.runtime import _sim_state

    return _sim_state["server"].stats()


def raw_total(runtime) -> int:
    return sum(scalar(runtime, f"select count(*) from raw.{table}") for table in all_raw_tables()
               if table.startswith("instagram_"))


def test_full_sync_pages_to_the_end_and_lands_every_stream(ig_env, monkeypatch):
    runtime = load(monkeypatch)
    results = sync(runtime)
    assert [r.status for r in results] == ["success", "success"]
    simulated = world(runtime)
    for result in results:
        media = [p for p in simulated.account("instagram", result.account_id).posts if p.format != "story"]
        landed = scalar(runtime, "select count(distinct record_key) from raw.instagram_media where account_id = %s",
                        result.account_id)
        assert landed == len(media) > 50  # more than one page of 50
        assert result.streams["instagram_media_insights"] == len(media)
        assert result.streams["instagram_account_totals"] == 30  # first sync: newest 30 days
        assert result.streams["instagram_demographics"] == 12
        assert result.api_calls > len(media) and result.warnings == []
    assert scalar(runtime, "select count(distinct cursor_value) from ops.sync_cursors where stream = 'analytics'") == 1
    assert scalar(runtime, "select max(cursor_value) from ops.sync_cursors where stream = 'analytics'") == "2026-11-20"
    stored = scalar(runtime, "select string_agg(request_params::text, ' ') from raw.instagram_media")
    messages = scalar(runtime, "select coalesce(string_agg(coalesce(message, ''), ' '), '') from ops.sync_results")
    assert "sim-ig:" not in stored + messages and "access_token" not in stored


def test_identical_rerun_adds_no_raw_rows(ig_env, monkeypatch):
    runtime = load(monkeypatch)
    sync(runtime, "run-1")
    before = raw_total(runtime)
    second = sync(runtime, "run-2")
    assert [r.status for r in second] == ["success", "success"]
    assert raw_total(runtime) == before
    # the re-run re-read only recent media insights (30-day lookback), not all of them
    assert second[0].api_calls < sync_calls_first(runtime)


def sync_calls_first(runtime) -> int:
    return scalar(runtime, "select api_calls from ops.sync_results where run_id = 'run-1' order by 1 desc limit 1")


def test_throttling_80002_and_server_errors_are_retried(ig_env, monkeypatch):
    runtime = load(monkeypatch, {"status_429_first": 2, "retry_after": 60, "status_500_first": 1})
    sleeps: list[float] = []
    results = sync(runtime, "run-throttled", sleeps=sleeps)
    assert [r.status for r in results] == ["success", "success"]
    assert sleeps.count(60.0) == 2  # BUC estimated_time_to_regain_access (1 min) honoured twice
    assert len([s for s in sleeps if 0 < s < 60]) >= 1  # backoff after the 500


def test_long_throttle_stops_each_account_keeps_data_and_next_run_resumes(ig_env, monkeypatch):
    limited = load(monkeypatch, {"quota_exceeded_after": 4, "endpoints": ["media", "insights"]})
    first = sync(limited, "run-throttle-stop")
    assert [r.status for r in first] == ["partial", "partial"]
    for result in first:
        assert result.error_class == "QuotaExhaustedError" and "resumes" in result.message
        assert result.retry_at is not None and result.retry_at > limited.settings.now()
    assert scalar(limited, "select count(*) from raw.instagram_users") == 2
    assert scalar(limited, "select count(*) from raw.instagram_media") >= 50  # the pages fetched are kept
    assert scalar(limited, "select count(*) from ops.sync_cursors") == 0
    attempts = sim_stats()["faults"]["instagram"]["quota"]
    assert attempts == 2  # one refused call per account: not retried

    healthy = load(monkeypatch)
    second = sync(healthy, "run-resume")
    assert [r.status for r in second] == ["success", "success"]
    assert scalar(healthy, "select count(*) from ops.sync_cursors where stream = 'analytics'") == 2


def test_expired_token_names_account_and_env_var_and_is_not_retried(ig_env, monkeypatch):
    expiring = load(monkeypatch, {"expire_token_after": 3})
    results = sync(expiring, "run-expired")
    assert [r.status for r in results] == ["partial", "partial"]
    for result, var in zip(results, ("TEST_IG_TOKEN_BAKERY", "TEST_IG_TOKEN_TRAILS"), strict=True):
        assert result.error_class == "AuthError"
        assert result.account_id in result.message and var in result.message
        assert "sim-ig:" not in result.message
    assert sim_stats()["faults"]["instagram"]["expired_token"] == 2
    assert scalar(expiring, "select count(*) from ops.sync_cursors") == 0


def test_retired_and_rejected_metrics_are_skipped_with_warnings(ig_env, monkeypatch):
    runtime = load(monkeypatch, {"ig_reject_metrics": ["profile_visits"], "ig_not_enough_viewers_every": 10},
                   TIDEMARK_INSTAGRAM_EXTRA_MEDIA_METRICS="impressions,plays,website_clicks")
    results = sync(runtime, "run-metrics")
    assert [r.status for r in results] == ["success", "success"]
    warnings = " ".join(results[0].warnings)
    assert "impressions was retired" in warnings and "website_clicks" in warnings and "profile_visits" in warnings
    kept = scalar(runtime, "select count(*) from raw.instagram_media_insights, jsonb_array_elements(payload -> 'data') "
                           "as item where item ->> 'source_name' = 'impressions' and item ->> 'name' = 'views'")
    assert kept > 0  # successor stored with its source name
    assert scalar(runtime, "select count(*) from raw.instagram_media_insights, jsonb_array_elements(payload -> 'data')"
                           " as item where item ->> 'name' = 'profile_visits'") == 0
    no_data = scalar(runtime, "select count(*) from raw.instagram_media_insights "
                              "where payload ->> 'unavailable' = 'not_enough_viewers' and payload -> 'data' = '[]'")
    assert no_data > 0


def test_live_stories_and_their_insights_land(ig_env, monkeypatch):
    probe = load(monkeypatch)
    story = [p for p in world(probe).account("instagram", ACCOUNTS[0]).posts if p.format == "story"][-1]
    at = (story.published_at + timedelta(hours=3)).isoformat()
    runtime = load(monkeypatch, TIDEMARK_SIM_NOW=at)
    results = sync(runtime, "run-story", Window(story.published_at.date(), story.published_at.date()))
    assert results[0].status == "success"
    assert scalar(runtime, "select payload ->> 'media_product_type' from raw.instagram_media where record_key = %s",
                  story.id) == "STORY"
    names = scalar(runtime, "select payload -> 'metrics' from raw.instagram_media_insights where record_key = %s",
                   story.id)
    assert "navigation" in names and "saved" not in names


def test_backfill_of_a_past_range_leaves_the_cursor(ig_env, monkeypatch):
    runtime = load(monkeypatch)
    sync(runtime, "run-1")
    results = sync(runtime, "run-backfill", Window(date(2026, 10, 1), date(2026, 10, 10)))
    assert [r.status for r in results] == ["success", "success"]
    assert all(r.streams["instagram_account_totals"] == 10 for r in results)
    days = scalar(runtime, "select count(distinct record_key) from raw.instagram_account_totals "
                           "where record_key between '2026-10-01' and '2026-10-10'")
    assert days == 10
    assert scalar(runtime, "select min(cursor_value) from ops.sync_cursors where stream = 'analytics'") == "2026-11-20"


def test_dbt_models_build_on_landed_data(ig_env, monkeypatch, tmp_path):
    runtime = load(monkeypatch)
    sync(runtime)
    tidemark = str(Path(sys.executable).parent / "tidemark")
    done = subprocess.run(
        [tidemark, "dbt", "--", "build", "--select", "staging.social.instagram", "intermediate.social.instagram",
         "--vars", "{platforms: [youtube, instagram]}", "--target-path", str(tmp_path / "target"),
         "--log-path", str(tmp_path / "logs")],
        env=os.environ.copy(), capture_output=True, text=True, timeout=180,
    )
    assert done.returncode == 0, done.stdout[-3000:]
    formats = scalar(runtime, "select string_agg(distinct format, ',' order by format) from staging.int_instagram__posts")
    assert set(formats.split(",")) <= {"reel", "image", "carousel", "video", "story"} and "reel" in formats
    # one sync: every post's lifetime so far is its baseline, never a day (no first-sync lump)
    assert scalar(runtime, "select count(*) from staging.int_instagram__post_metrics_daily") == 0
    assert scalar(runtime, "select count(*) from staging.int_instagram__posts "
                           "where first_snapshot_at is not null and lifetime_views > 0") > 0
