"""The YouTube connector against the simulator and a real Postgres.

Covers: a full first sync, idempotent re-sync, quota exhausted mid-run (data kept, cursor not
advanced, clear error, next run resumes), throttling retried, expired access token refreshed,
revoked refresh token named per account, and secrets absent from everything stored.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from ingestion.registry import all_raw_tables
from ingestion.runner import run_platform
from ingestion.sync import Window
from tests.helpers import sim_world

REQUESTED = Window(date(2026, 11, 18), date(2026, 11, 20))


def sync(runtime, run_id="run-1", sleeps=None):
    runtime.prepare_warehouse(all_raw_tables())
    return run_platform(runtime, "youtube", REQUESTED, run_id,
                        sleep=(sleeps.append if sleeps is not None else lambda s: None))


def scalar(runtime, query, *args):
    with runtime.connect() as conn, conn.cursor() as cur:
        cur.execute(query, args)
        return cur.fetchone()[0]


def set_faults(monkeypatch, faults: dict):
    monkeypatch.setenv("TIDEMARK_SIM_FAULTS", json.dumps({"youtube": faults}))
    from tidemark.runtime import load_runtime

    return load_runtime()


def test_full_sync_lands_every_stream(runtime):
    results = sync(runtime)
    assert [r.status for r in results] == ["success", "success"]
    world = runtime_world(runtime)
    for result in results:
        expected_videos = len(world.account("youtube", result.account_id).posts_at(world.now))
        landed = scalar(runtime, "select count(distinct record_key) from raw.youtube_videos where account_id = %s",
                        result.account_id)
        assert landed == expected_videos > 50  # more than one playlist page
        assert result.streams["youtube_video_daily"] > expected_videos
    assert scalar(runtime, "select count(*) from raw.youtube_demographics") == 4
    cursor = scalar(runtime, "select max(cursor_value) from ops.sync_cursors where stream = 'analytics'")
    assert cursor == "2026-11-20"


def runtime_world(runtime):
    return sim_world(runtime)


def test_resync_is_idempotent(runtime):
    sync(runtime, "run-1")
    before = scalar(runtime, "select count(*) from raw.youtube_video_daily")
    results = sync(runtime, "run-2")
    assert all(r.status == "success" for r in results)
    assert scalar(runtime, "select count(*) from raw.youtube_video_daily") == before
    assert scalar(runtime, "select count(*) from raw.youtube_videos") == scalar(
        runtime, "select count(distinct record_key) from raw.youtube_videos")


def test_quota_exhausted_mid_run_keeps_data_and_resumes(runtime, monkeypatch):
    # Quota on the Data API runs out after a few calls: the channel and first video pages are in.
    limited = set_faults(monkeypatch, {"quota_exceeded_after": 3, "endpoints": ["channels", "playlistItems",
                                                                               "videos"]})
    first = sync(limited, "run-quota")
    assert {r.status for r in first} <= {"partial", "failed"}
    assert all(r.error_class == "QuotaExhaustedError" for r in first)
    assert all("quota" in r.message.lower() and "resumes" in r.message for r in first)
    assert all(r.retry_at is not None for r in first)
    kept = scalar(limited, "select count(*) from raw.youtube_channels")
    assert kept >= 1  # what was fetched before the stop is kept
    assert scalar(limited, "select count(*) from ops.sync_cursors where stream = 'analytics'") == 0
    stored = scalar(limited, "select count(*) from ops.sync_results where status in ('partial', 'failed')")
    assert stored == 2

    monkeypatch.delenv("TIDEMARK_SIM_FAULTS")
    from tidemark.runtime import load_runtime

    healthy = load_runtime()
    second = sync(healthy, "run-after-reset")
    assert [r.status for r in second] == ["success", "success"]
    assert scalar(healthy, "select count(*) from ops.sync_cursors where stream = 'analytics'") == 2


def test_throttling_is_retried_with_backoff(runtime, monkeypatch):
    throttled = set_faults(monkeypatch, {"status_429_first": 2, "retry_after": 3, "status_500_first": 1})
    sleeps: list[float] = []
    results = sync(throttled, "run-throttled", sleeps)
    assert [r.status for r in results] == ["success", "success"]
    assert 3.0 in sleeps  # Retry-After honoured
    assert len([s for s in sleeps if s > 0]) >= 3


def test_expired_access_token_is_refreshed(runtime, monkeypatch):
    expiring = set_faults(monkeypatch, {"expire_token_after": 5})
    results = sync(expiring, "run-expiring")
    assert [r.status for r in results] == ["success", "success"]


def test_revoked_token_names_account_and_setting(runtime, monkeypatch):
    revoked = set_faults(monkeypatch, {"invalid_token": True})
    results = sync(revoked, "run-revoked")
    assert [r.status for r in results] == ["failed", "failed"]
    for result in results:
        assert result.error_class == "AuthError"
        assert result.account_id in result.message
        assert "TEST_YT_REFRESH_" in result.message  # the env var to fix


def test_no_secret_is_stored(runtime):
    sync(runtime)
    with runtime.connect() as conn, conn.cursor() as cur:
        cur.execute("select request_params::text from raw.youtube_videos union all "
                    "select coalesce(message, '') from ops.sync_results")
        stored = " ".join(row[0] for row in cur.fetchall())
    assert "sim-access:" not in stored and "sim-refresh:" not in stored and "simulator-secret" not in stored


@pytest.mark.parametrize("table", ["youtube_videos", "youtube_video_daily"])
def test_load_metadata_is_recorded(runtime, table):
    sync(runtime, "run-meta")
    row = scalar(runtime, f"select count(*) from raw.{table} where run_id = 'run-meta' and payload_hash is not null "
                          "and endpoint is not null and fetched_at is not null")
    assert row > 0
