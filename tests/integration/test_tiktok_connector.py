"""The TikTok connector against the simulator and a real Postgres.

Covers: a first sync walking video/list to the end (short pages included), an identical re-run
landing nothing new, incremental runs (list walk stops at the cursor, older videos refreshed via
video/query), each simulated failure mode (429, 500, Business 40100, long throttle, expired and
revoked tokens, missing scope, invalid/retired metric), a backfill of past dates, no secrets stored.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from ingestion.registry import all_raw_tables
from ingestion.runner import run_platform
from ingestion.sync import Window
from tests.conftest import FIXTURES
from tests.helpers import sim_world

REQUESTED = Window(date(2026, 11, 18), date(2026, 11, 20))
KITCHEN = "-000testKitchenOpenId000000000001"  # Display + Business API
TRAVEL = "-000testTravelOpenId0000000000002"  # Display API only


@pytest.fixture
def tiktok_env(tidemark_env, monkeypatch):
    monkeypatch.setenv("TIDEMARK_CONFIG", str(FIXTURES / "tiktok.yaml"))
    return tidemark_env


@pytest.fixture
def runtime(tiktok_env):
    from tidemark.runtime import load_runtime

    return load_runtime()


def reload(monkeypatch, faults: dict | None = None, **env: str):
    from tidemark.runtime import load_runtime

    if faults is None:
        monkeypatch.delenv("TIDEMARK_SIM_FAULTS", raising=False)
    else:
        monkeypatch.setenv("TIDEMARK_SIM_FAULTS", json.dumps({"tiktok": faults}))
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return load_runtime()


def sync(runtime, run_id="run-1", requested=REQUESTED, sleeps=None):
    runtime.prepare_warehouse(all_raw_tables())
    results = run_platform(runtime, "tiktok", requested, run_id,
                           sleep=(sleeps.append if sleeps is not None else lambda seconds: None))
    return {result.account_id: result for result in results}


def scalar(runtime, query, *args):
    with runtime.connect() as conn, conn.cursor() as cur:
        cur.execute(query, args)
        return cur.fetchone()[0]


def cursor(runtime, account, stream):
    return scalar(runtime, "select max(cursor_value) from ops.sync_cursors where account_id = %s and stream = %s",
                  account, stream)


def world_posts(runtime, account):
    world = sim_world(runtime)
    return world.account("tiktok", account).posts_at(world.now)


def sim_calls(endpoint):
    from tidemark.runtime import _sim_state

    return _sim_state["server"].stats()["calls"].get("tiktok", {}).get(endpoint, 0)


def test_first_sync_walks_every_page_and_lands_every_stream(runtime):
    results = sync(runtime)
    assert {r.status for r in results.values()} == {"success"}, [r.message for r in results.values()]
    for account in (KITCHEN, TRAVEL):
        posts = world_posts(runtime, account)
        landed = scalar(runtime, "select count(distinct record_key) from raw.tiktok_videos where account_id = %s",
                        account)
        assert landed == len(posts) > 40  # several 20-video pages, some of them short
        assert cursor(runtime, account, "video_list") == str(int(posts[-1].published_at.timestamp()))
        assert scalar(runtime, "select count(*) from raw.tiktok_users where account_id = %s", account) == 1
    assert sim_calls("video_list") > 2 * (len(world_posts(runtime, KITCHEN)) // 20)  # short pages cost calls
    kitchen = results[KITCHEN]
    assert kitchen.streams["tiktok_business_videos"] == len(world_posts(runtime, KITCHEN))
    assert kitchen.streams["tiktok_business_daily"] == 59  # 60-day look-back, data lags a day
    assert any("reach back 60 days" in w for w in kitchen.warnings)
    assert "tiktok_business_daily" not in results[TRAVEL].streams
    assert cursor(runtime, KITCHEN, "analytics") == cursor(runtime, TRAVEL, "analytics") == "2026-11-20"


def raw_rows(runtime) -> dict[str, int]:
    from ingestion.tiktok import PLATFORM

    return {table: scalar(runtime, f"select count(*) from raw.{table}") for table in PLATFORM.streams}


def test_identical_rerun_lands_nothing_and_walks_incrementally(runtime):
    sync(runtime, "run-1")
    before, list_calls = raw_rows(runtime), sim_calls("video_list")
    second = sync(runtime, "run-2")
    assert {r.status for r in second.values()} == {"success"}
    assert raw_rows(runtime) == before  # same clock, same data: dedupe on payload hash
    assert sim_calls("video_list") - list_calls == 2  # one page per account: the walk stops at the cursor
    assert sim_calls("video_query") > 0  # older videos refreshed by id


def sim_faults():
    from tidemark.runtime import _sim_state

    return _sim_state["server"].stats()["faults"].get("tiktok", {})


def test_throttling_and_server_errors_are_retried(runtime, monkeypatch):
    throttled = reload(monkeypatch, {"status_429_first": 2, "retry_after": 3, "status_500_first": 1})
    sleeps: list[float] = []
    results = sync(throttled, "run-throttled", sleeps=sleeps)
    assert {r.status for r in results.values()} == {"success"}
    assert 3.0 in sleeps  # Retry-After of the 429 honoured
    assert sim_faults() == {"rate_limit": 2, "server_error": 1}


def test_business_throttling_40100_backs_off_then_stops_cleanly(runtime, monkeypatch):
    brief = reload(monkeypatch, {"status_429_first": 2, "endpoints": ["business_get"]})
    sleeps: list[float] = []
    assert {r.status for r in sync(brief, "run-brief", sleeps=sleeps).values()} == {"success"}
    assert len(sleeps) == 2  # exponential backoff: no Retry-After in the Business envelope

    endless = reload(monkeypatch, {"quota_exceeded_after": 0, "endpoints": ["business_get"]})
    results = sync(endless, "run-endless")
    kitchen = results[KITCHEN]
    assert kitchen.status == "partial" and kitchen.error_class == "RateLimitedError"
    assert kitchen.retry_at is not None and "40100" in kitchen.message
    assert results[TRAVEL].status == "success"
    assert kitchen.streams["tiktok_business_videos"] > 0  # fetched before the stop: kept


def test_long_throttle_mid_walk_keeps_pages_and_next_run_resumes(runtime, monkeypatch):
    limited = reload(monkeypatch, {"quota_exceeded_after": 3, "endpoints": ["video_list"]})
    first = sync(limited, "run-limited")
    for result in first.values():
        assert result.error_class == "RateLimitedError" and result.retry_at is not None
        assert cursor(limited, result.account_id, "video_list") is None  # walk incomplete: cursor unmoved
    assert first[KITCHEN].status == "partial"
    assert scalar(limited, "select count(distinct record_key) from raw.tiktok_videos where account_id = %s",
                  KITCHEN) >= 40  # three pages kept
    assert sim_faults() == {"quota": 2}  # Retry-After 3600 s is over the cap: not retried

    healthy = reload(monkeypatch)
    second = sync(healthy, "run-resumed")
    assert {r.status for r in second.values()} == {"success"}
    for account in (KITCHEN, TRAVEL):
        assert scalar(healthy, "select count(distinct record_key) from raw.tiktok_videos where account_id = %s",
                      account) == len(world_posts(healthy, account))
        assert cursor(healthy, account, "video_list") is not None


def test_expired_access_token_is_refreshed(runtime, monkeypatch):
    expiring = reload(monkeypatch, {"expire_token_after": 4})
    results = sync(expiring, "run-expiring")
    assert {r.status for r in results.values()} == {"success"}
    assert sim_calls("oauth_token") >= 2


def test_revoked_token_names_account_and_setting_and_is_not_retried(runtime, monkeypatch):
    revoked = reload(monkeypatch, {"invalid_token": True})
    results = sync(revoked, "run-revoked")
    for account, result in results.items():
        assert result.status == "failed" and result.error_class == "AuthError"
        assert account in result.message and "TEST_TT_REFRESH_" in result.message
    assert sim_faults() == {"invalid_token": 2}  # one 401 per account, one refused refresh, no retries


def test_missing_scope(runtime, monkeypatch):
    no_stats = reload(monkeypatch, {"tiktok_scope_not_authorized": ["user_info"]})
    results = sync(no_stats, "run-no-stats")
    assert {r.status for r in results.values()} == {"success"}
    assert all(any("user.info.stats" in w for w in r.warnings) for r in results.values())

    no_videos = reload(monkeypatch, {"tiktok_scope_not_authorized": ["video_list"]})
    results = sync(no_videos, "run-no-videos")
    for result in results.values():
        assert result.status == "partial" and result.error_class == "AuthError"  # user/info landed first
        assert "scope" in result.message and "TEST_TT_ACCESS_" in result.message
    assert sim_calls("oauth_token") == 0  # a missing scope is not fixed by a refresh


def test_rejected_and_retired_metrics_are_skipped(runtime, monkeypatch):
    rejected = reload(monkeypatch, {"tiktok_invalid_fields": ["share_count", "favorites"]})
    results = sync(rejected, "run-rejected")
    assert {r.status for r in results.values()} == {"success"}
    assert any("'share_count' rejected" in w for w in results[TRAVEL].warnings)
    assert any("'favorites' rejected" in w for w in results[KITCHEN].warnings)
    assert scalar(rejected, "select count(*) from raw.tiktok_videos where payload ? 'share_count'") == 0
    assert scalar(rejected, "select count(*) from raw.tiktok_business_videos where payload ? 'reach'") > 0

    retired = reload(monkeypatch, TIDEMARK_TIKTOK_RETIRED_METRICS="display/v2:video:comment_count")
    results = sync(retired, "run-retired")
    assert {r.status for r in results.values()} == {"success"}
    assert all(any("'comment_count' is retired" in w for w in r.warnings) for r in results.values())
    assert sim_faults() == {}


def test_backfill_of_past_dates(runtime):
    backfill = Window(date(2026, 10, 1), date(2026, 10, 10))
    results = sync(runtime, "run-backfill", requested=backfill)
    assert {r.status for r in results.values()} == {"success"}
    days = scalar(runtime, "select array_agg(distinct record_key order by record_key) from raw.tiktok_business_daily")
    assert days[0] == "2026-09-22" and days[-1] == "2026-10-10"  # clamped to the 60-day look-back
    assert cursor(runtime, KITCHEN, "analytics") == "2026-10-10"

    sync(runtime, "run-today")
    assert cursor(runtime, KITCHEN, "analytics") == "2026-11-20"
    again = sync(runtime, "run-backfill-2", requested=backfill)
    assert cursor(runtime, KITCHEN, "analytics") == "2026-11-20"  # a backfill never moves the cursor back
    assert any("no history" in w for w in again[TRAVEL].warnings)


def test_no_secret_is_stored(runtime):
    sync(runtime)
    with runtime.connect() as conn, conn.cursor() as cur:
        cur.execute("select request_params::text from raw.tiktok_videos union all "
                    "select request_params::text from raw.tiktok_business_daily union all "
                    "select coalesce(message, '') from ops.sync_results")
        stored = " ".join(row[0] for row in cur.fetchall())
    assert "act.sim:" not in stored and "bat.sim:" not in stored and "simulator-secret" not in stored
