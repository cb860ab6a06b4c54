"""The LinkedIn connector against the simulator and a real Postgres.

Covers: pagination to the end, every stream landed, identical re-run = no new raw rows, the
daily-limit 429 (data kept, cursor unmoved, not retried, next run resumes), short throttles
retried, an expired token refreshed, a revoked grant / missing permission naming the setting,
a sunset LinkedIn-Version, a retired metric skipped, a backfill, no secret stored.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from ingestion.linkedin import PLATFORM
from ingestion.registry import all_raw_tables
from ingestion.runner import run_platform
from ingestion.sync import Window
from tests.helpers import sim_world

CONFIG = Path(__file__).parents[1] / "fixtures" / "linkedin.yaml"
REQUESTED = Window(date(2026, 11, 18), date(2026, 11, 20))
ORGS = ("10000001", "10000002")


@pytest.fixture
def li_env(tidemark_env, monkeypatch):
    monkeypatch.setenv("TIDEMARK_CONFIG", str(CONFIG))
    monkeypatch.setenv("TIDEMARK_LINKEDIN_PAGE_SIZE", "10")  # several pages per organization
    monkeypatch.setenv("TIDEMARK_INITIAL_SYNC_DAYS", "40")
    return monkeypatch


def load(monkeypatch, faults: dict | None = None, **env: str):
    from tidemark.runtime import load_runtime

    if faults is None:
        monkeypatch.delenv("TIDEMARK_SIM_FAULTS", raising=False)
    else:
        monkeypatch.setenv("TIDEMARK_SIM_FAULTS", json.dumps({"linkedin": faults}))
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return load_runtime()


def sync(runtime, run_id="run-1", window=REQUESTED, sleeps=None):
    runtime.prepare_warehouse(all_raw_tables())
    return run_platform(runtime, "linkedin", window, run_id,
                        sleep=(sleeps.append if sleeps is not None else lambda s: None))


def scalar(runtime, query, *args):
    with runtime.connect() as conn, conn.cursor() as cur:
        cur.execute(query, args)
        return cur.fetchone()[0]


def raw_rows(runtime) -> int:
    return sum(scalar(runtime, f"select count(*) from raw.{table}") for table in PLATFORM.streams)


def sim_stats(runtime):
    from tidemark.runtime import _sim_state

    return _sim_state["server"].stats()


def world(runtime):
    return sim_world(runtime)


def cursor(runtime, account, stream="analytics"):
    return scalar(runtime, "select max(cursor_value) from ops.sync_cursors where platform = 'linkedin' "
                           "and account_id = %s and stream = %s", account, stream)


def test_full_sync_pages_to_the_end_and_lands_every_stream(li_env):
    runtime = load(li_env)
    results = sync(runtime)
    assert [r.status for r in results] == ["success", "success"], [r.message for r in results]
    w = world(runtime)
    for result in results:
        expected = len(w.account("linkedin", result.account_id).posts)
        landed = scalar(runtime, "select count(distinct record_key) from raw.linkedin_posts where account_id = %s",
                        result.account_id)
        assert landed == expected > 30  # page size 10: several pages, walked to the end
        assert result.streams["linkedin_post_stats"] == expected
        assert all(result.streams.get(table, 0) > 0 for table in PLATFORM.streams)
        assert cursor(runtime, result.account_id) == "2026-11-18"  # stats end at today − 2 days
    assert scalar(runtime, "select max(record_key) from raw.linkedin_share_daily") == "2026-11-18"
    assert scalar(runtime, "select min(record_key) from raw.linkedin_share_daily") == "2026-10-11"


def test_identical_rerun_adds_no_raw_rows(li_env):
    runtime = load(li_env)
    sync(runtime, "run-1")
    before = raw_rows(runtime)
    results = sync(runtime, "run-2")
    assert [r.status for r in results] == ["success", "success"]
    assert raw_rows(runtime) == before
    # the second run re-reads only the lookback: the posts finder stops after the first page
    assert sum(r.api_calls for r in results) < 200


def test_daily_limit_stops_cleanly_keeps_data_and_next_run_resumes(li_env):
    limited = load(li_env, {"quota_exceeded_after": 6})
    first = sync(limited, "run-quota")
    assert [r.error_class for r in first] == ["QuotaExhaustedError", "QuotaExhaustedError"]
    assert first[0].status == "partial" and first[1].status == "failed"
    assert all(r.retry_at is not None and r.retry_at.isoformat() == "2026-11-21T00:00:00+00:00" for r in first)
    assert all("DAY limit" in r.message and "resumes" in r.message for r in first)
    assert sim_stats(limited)["faults"]["linkedin"]["quota"] == 2  # one answer per account: never retried
    assert scalar(limited, "select count(*) from raw.linkedin_posts") > 30  # fetched before the stop: kept
    assert cursor(limited, ORGS[0]) is None  # the daily step never completed

    healthy = load(li_env)
    second = sync(healthy, "run-after-reset")
    assert [r.status for r in second] == ["success", "success"]
    assert [cursor(healthy, org) for org in ORGS] == ["2026-11-18", "2026-11-18"]


def test_short_throttles_and_server_errors_are_retried(li_env):
    throttled = load(li_env, {"status_429_first": 2, "retry_after": 3, "status_500_first": 1})
    sleeps: list[float] = []
    results = sync(throttled, "run-throttled", sleeps=sleeps)
    assert [r.status for r in results] == ["success", "success"]
    assert sleeps.count(3.0) == 2 and len(sleeps) >= 3


def test_expired_token_is_refreshed(li_env):
    runtime = load(li_env, {"expire_token_after": 7})
    results = sync(runtime, "run-expiring")
    assert [r.status for r in results] == ["success", "success"]
    assert sim_stats(runtime)["calls"]["linkedin"]["accessToken"] >= 2


def test_revoked_grant_names_account_and_setting(li_env):
    runtime = load(li_env, {"invalid_token": True})
    results = sync(runtime, "run-revoked")
    assert [r.status for r in results] == ["failed", "failed"]
    assert all(r.error_class == "AuthError" and r.account_id in r.message for r in results)
    assert "TEST_LI_REFRESH_KITCHEN" in results[0].message


def test_access_denied_is_not_retried_and_keeps_posts(li_env):
    runtime = load(li_env, {"linkedin_access_denied": ["organizationalEntityFollowerStatistics"]})
    results = sync(runtime, "run-denied")
    assert [r.status for r in results] == ["partial", "partial"]
    assert all(r.error_class == "AuthError" and "rw_organization_admin" in r.message for r in results)
    assert "TEST_LI_TOKEN_KITCHEN" in results[0].message and "TEST_LI_TOKEN_TRAVEL" in results[1].message
    assert sim_stats(runtime)["calls"]["linkedin"]["organizationalEntityFollowerStatistics"] == 2
    assert scalar(runtime, "select count(*) from raw.linkedin_post_stats") > 60
    assert cursor(runtime, ORGS[0]) is None


def test_sunset_version_names_the_setting(li_env):
    runtime = load(li_env, TIDEMARK_LINKEDIN_API_VERSION="202501")
    results = sync(runtime, "run-sunset")
    assert [r.error_class for r in results] == ["VersionSunsetError", "VersionSunsetError"]
    assert all("TIDEMARK_LINKEDIN_API_VERSION" in r.message for r in results)
    assert sim_stats(runtime)["calls"]["linkedin"]["posts"] == 2  # not retried


def test_retired_metric_is_skipped_without_failing(li_env):
    runtime = load(li_env, {"linkedin_retired_metrics": ["TIME_WATCHED_FOR_VIDEO_VIEWS"]},
                   TIDEMARK_LINKEDIN_RETIRED_METRICS="VIEWER")
    results = sync(runtime, "run-retired")
    assert [r.status for r in results] == ["success", "success"]
    for result in results:
        assert any("TIME_WATCHED_FOR_VIDEO_VIEWS" in w and "dropped" in w for w in result.warnings)
        assert any("VIEWER skipped" in w for w in result.warnings)
    metrics = scalar(runtime, "select string_agg(distinct payload ->> 'metric', ',' order by payload ->> 'metric') "
                              "from raw.linkedin_video_stats")
    assert metrics == "video_views,watch_time_ms"


def test_backfill_of_a_past_range_keeps_the_cursor(li_env):
    runtime = load(li_env)
    sync(runtime, "run-1")
    assert scalar(runtime, "select count(*) from raw.linkedin_share_daily where record_key < '2026-09-01'") == 0
    results = sync(runtime, "run-backfill", window=Window(date(2026, 8, 1), date(2026, 8, 31)))
    assert [r.status for r in results] == ["success", "success"]
    days = scalar(runtime, "select count(distinct record_key) from raw.linkedin_follower_daily "
                           "where record_key between '2026-08-01' and '2026-08-31'")
    assert days == 31
    assert [cursor(runtime, org) for org in ORGS] == ["2026-11-18", "2026-11-18"]


def test_no_secret_is_stored(li_env):
    runtime = load(li_env, {"expire_token_after": 5})
    sync(runtime)
    with runtime.connect() as conn, conn.cursor() as cur:
        cur.execute("select string_agg(request_params::text, ' ') from raw.linkedin_post_stats union all "
                    "select string_agg(coalesce(message, '') || warnings::text, ' ') from ops.sync_results")
        stored = " ".join(row[0] or "" for row in cur.fetchall())
    assert "sim-li-" not in stored and "simulator-secret" not in stored
