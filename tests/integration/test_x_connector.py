"""The X connector against the simulator and a real Postgres.

Covers: paging to the end, owner-only metrics gated by token and age, identical re-run, usage
cap (not retried, data kept, cursors right, next run resumes), throttling (waits until reset;
a reset beyond the cap stops the account with retry_at), partial 200 answers, retired and
refused metrics, revoked/expired tokens named per account, the monthly read budget kept across
runs, a backfill of past dates, and secrets absent from everything stored.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from ingestion.registry import all_raw_tables
from ingestion.runner import run_platform
from ingestion.sync import Window
from tests.canonical import baseline_contract_breaks
from tests.conftest import FIXTURES
from tests.helpers import sim_world

KITCHEN, TRAVEL = "1500000000000000001", "1500000000000000002"
REQUESTED = Window(date(2026, 11, 18), date(2026, 11, 20))
TABLES = ("x_users", "x_posts", "x_media")


@pytest.fixture
def x_env(tidemark_env, monkeypatch):
    monkeypatch.setenv("TIDEMARK_CONFIG", str(FIXTURES / "x.yaml"))
    monkeypatch.setenv("TIDEMARK_X_PAGE_SIZE", "20")
    return monkeypatch


def load(monkeypatch, faults: dict | None = None, **env):
    from tidemark.runtime import load_runtime

    if faults is None:
        monkeypatch.delenv("TIDEMARK_SIM_FAULTS", raising=False)
    else:
        monkeypatch.setenv("TIDEMARK_SIM_FAULTS", json.dumps({"x": faults}))
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return load_runtime()


def sync(runtime, run_id="run-1", requested=REQUESTED, sleeps=None):
    runtime.prepare_warehouse(all_raw_tables())
    return run_platform(runtime, "x", requested, run_id, sleep=(sleeps.append if sleeps is not None else lambda s: None))


def scalar(runtime, query, *args):
    with runtime.connect() as conn, conn.cursor() as cur:
        cur.execute(query, args)
        return cur.fetchone()[0]


def cursor(runtime, account, stream):
    return scalar(runtime, "select max(cursor_value) from ops.sync_cursors where account_id = %s and stream = %s",
                  account, stream)


def counts(runtime):
    return {t: scalar(runtime, f"select count(*) from raw.{t}") for t in TABLES}


def sim_stats():
    from tidemark.runtime import _sim_state

    return _sim_state["server"].stats()


def world_posts(runtime, account):
    world = sim_world(runtime)
    return world.account("x", account).posts


def test_full_sync_pages_to_the_end_and_gates_owner_metrics(x_env):
    runtime = load(x_env)
    results = sync(runtime)
    assert [r.status for r in results] == ["success", "success"]
    for result in results:
        expected = len(world_posts(runtime, result.account_id))
        landed = scalar(runtime, "select count(distinct record_key) from raw.x_posts where account_id = %s",
                        result.account_id)
        assert landed == expected > 40 and result.api_calls >= 1 + expected // 20  # several pages of 20
        assert cursor(runtime, result.account_id, "analytics") == "2026-11-20"
        assert cursor(runtime, result.account_id, "posts_recent") and cursor(runtime, result.account_id,
                                                                              "posts_full_refresh")
    private = "select count(*) from raw.x_posts where account_id = %s and payload ? 'non_public_metrics'"
    old_private = private + " and (payload->>'created_at')::timestamptz < '2026-10-21'"
    assert scalar(runtime, private, KITCHEN) > 0  # user-context token: owner metrics for recent posts
    assert scalar(runtime, old_private, KITCHEN) == 0  # never for posts older than 30 days
    assert scalar(runtime, private, TRAVEL) == 0  # app-only account
    assert any("no user-context token" in w for w in results[1].warnings)
    assert scalar(runtime, "select count(*) from raw.x_media where payload->>'type' = 'video'") > 0


def test_identical_rerun_adds_no_raw_rows(x_env):
    runtime = load(x_env)
    sync(runtime, "run-1")
    before = counts(runtime)
    assert [r.status for r in sync(runtime, "run-2")] == ["success", "success"]
    assert counts(runtime) == before


def test_usage_cap_is_not_retried_keeps_data_and_next_run_resumes(x_env):
    capped = load(x_env, {"quota_exceeded_after": 3})
    first = sync(capped, "run-capped")
    assert [r.status for r in first] == ["partial", "failed"]
    assert all(r.error_class == "QuotaExhaustedError" and r.retry_at is not None for r in first)
    assert sim_stats()["faults"]["x"]["quota"] == 2  # one refused call per account, never retried
    assert scalar(capped, "select count(*) from raw.x_posts where account_id = %s", KITCHEN) > 0  # kept
    assert cursor(capped, KITCHEN, "posts_recent") is not None  # the recent slice completed
    assert cursor(capped, KITCHEN, "posts_full_refresh") is None  # the older one did not
    assert cursor(capped, KITCHEN, "analytics") is None

    healthy = load(x_env)
    second = sync(healthy, "run-resumed")
    assert [r.status for r in second] == ["success", "success"]
    assert cursor(healthy, KITCHEN, "posts_full_refresh") is not None
    landed = scalar(healthy, "select count(distinct record_key) from raw.x_posts where account_id = %s", KITCHEN)
    assert landed == len(world_posts(healthy, KITCHEN))


def test_throttling_waits_until_the_announced_reset(x_env):
    throttled = load(x_env, {"status_429_first": 2, "retry_after": 7, "status_500_first": 1,
                             "endpoints": ["user_tweets"]})
    sleeps: list[float] = []
    results = sync(throttled, "run-throttled", sleeps=sleeps)
    assert [r.status for r in results] == ["success", "success"]
    assert sleeps.count(7.0) == 2  # x-rate-limit-reset honoured, then backoff on the 503
    assert len(sleeps) == 3


def test_throttle_reset_beyond_the_cap_stops_the_account_with_retry_at(x_env):
    throttled = load(x_env, {"status_429_first": 100, "retry_after": 900, "endpoints": ["user_tweets"]})
    sleeps: list[float] = []
    results = sync(throttled, "run-stopped", sleeps=sleeps)
    assert [r.status for r in results] == ["partial", "partial"]  # the user snapshots were kept
    assert all(r.error_class == "RateLimitedError" and r.retry_at is not None for r in results)
    assert sleeps == [] and sim_stats()["faults"]["x"]["rate_limit"] == 2


def test_partial_answer_keeps_the_data_with_a_warning(x_env):
    partial = load(x_env, {"x_field_auth_errors": True})
    results = sync(partial, "run-partial")
    assert [r.status for r in results] == ["success", "success"]
    assert any("Field Authorization Error" in w for w in results[0].warnings)
    assert scalar(partial, "select count(*) from raw.x_posts where payload ? 'non_public_metrics'") == 0
    assert scalar(partial, "select count(*) from raw.x_posts where account_id = %s", KITCHEN) == len(
        world_posts(partial, KITCHEN))


def test_retired_and_refused_metrics_are_skipped_without_failing(x_env):
    runtime = load(x_env, {"x_rejected_fields": ["organic_metrics"]},
                   TIDEMARK_X_METRICS="like_count,impression_count,organic_impression_count,promoted_impression_count")
    results = sync(runtime, "run-metrics")
    assert [r.status for r in results] == ["success", "success"]
    warnings = " ".join(results[0].warnings)
    assert "promoted_impression_count" in warnings and "retired" in warnings
    assert "refused field 'organic_metrics'" in warnings
    assert scalar(runtime, "select count(*) from raw.x_posts where payload ? 'organic_metrics'") == 0
    assert scalar(runtime, "select count(*) from raw.x_posts where account_id = %s", KITCHEN) > 0


def test_revoked_tokens_name_account_and_variable_and_are_not_retried(x_env):
    revoked = load(x_env, {"invalid_token": True})
    results = sync(revoked, "run-revoked")
    assert [r.status for r in results] == ["failed", "failed"]
    assert all(r.error_class == "AuthError" and r.account_id in r.message for r in results)
    assert "TEST_X_REFRESH_KITCHEN" in results[0].message  # refresh refused
    assert "TEST_X_BEARER" in results[1].message  # app bearer rejected
    assert sim_stats()["calls"]["x"].get("users", 0) == 1  # the app-only 401 was not retried


def test_expired_user_token_is_refreshed(x_env):
    expiring = load(x_env, {"expire_token_after": 2})
    results = sync(expiring, "run-expiring")
    assert results[0].status == "success"
    assert sim_stats()["calls"]["x"]["token"] >= 2


def test_monthly_read_budget_holds_across_runs(x_env):
    budget = load(x_env, TIDEMARK_X_MONTHLY_POST_READS="50")
    first = sync(budget, "run-budget-1")
    assert first[0].error_class == "QuotaExhaustedError" and "budget" in first[0].message
    assert scalar(budget, "select max(units) from ops.api_quota_usage where quota_key like 'x:%%'") <= 50
    timeline_calls = sim_stats()["calls"]["x"]["user_tweets"]
    second = sync(budget, "run-budget-2")  # the spent budget is remembered in Postgres
    assert all(r.error_class == "QuotaExhaustedError" for r in second)
    assert sim_stats()["calls"]["x"]["user_tweets"] == timeline_calls  # no post read was even attempted


def test_backfill_reads_the_past_window_and_keeps_the_cursor(x_env):
    runtime = load(x_env)
    sync(runtime, "run-initial")
    later = load(x_env, TIDEMARK_SIM_NOW="2026-11-21T12:00:00+00:00")
    results = sync(later, "run-backfill", requested=Window(date(2026, 8, 1), date(2026, 8, 31)))
    assert [r.status for r in results] == ["success", "success"]
    published = ("select min((payload->>'created_at')::timestamptz), max((payload->>'created_at')::timestamptz) "
                 "from raw.x_posts where run_id = 'run-backfill' and (payload->>'created_at')::timestamptz < %s")
    with later.connect() as conn, conn.cursor() as cur:
        cur.execute(published, ("2026-10-22",))
        oldest, newest = cur.fetchone()
    assert oldest.date() >= date(2026, 8, 1) and newest.date() <= date(2026, 8, 31)  # only the backfilled window
    assert cursor(later, KITCHEN, "posts_backfill") == "2026-08-01..2026-08-31"
    assert cursor(later, KITCHEN, "analytics") == "2026-11-20"  # never moved backwards


def test_no_secret_is_stored(x_env):
    runtime = load(x_env, {"expire_token_after": 2})
    sync(runtime)
    with runtime.connect() as conn, conn.cursor() as cur:
        cur.execute("select request_params::text from raw.x_posts union all select coalesce(message, '') || "
                    "warnings::text from ops.sync_results")
        stored = " ".join(row[0] for row in cur.fetchall())
    assert "sim-x-user:" not in stored and "sim-x-refresh:" not in stored and "tidemarksimulator" not in stored


def test_dbt_builds_the_canonical_x_models(x_env, tmp_path):
    import os
    import subprocess
    import sys

    runtime = load(x_env)
    sync(runtime, "run-dbt")
    args = [sys.executable, "-m", "tidemark.cli", "dbt", "--", "build", "--select",
            "staging.social.x", "intermediate.social.x",
            "--vars", "{platforms: [youtube, x]}", "--target-path", str(tmp_path / "target"),
            "--log-path", str(tmp_path / "logs")]
    done = subprocess.run(args, env=dict(os.environ), capture_output=True, text=True, timeout=180)
    error = done.stdout.split("Encountered an error:", 1)[-1] if "Encountered an error:" in done.stdout else ""
    if done.returncode and "Parsing Error" in error and "x__" not in error and "/x/" not in error:
        pytest.skip(f"the dbt project does not parse because of another platform's models: {error[:300]}")
    assert done.returncode == 0, done.stdout[-3000:]
    posts = scalar(runtime, "select count(*) from staging.int_x__posts")
    assert posts == scalar(runtime, "select count(distinct record_key) from raw.x_posts")
    formats = scalar(runtime, "select string_agg(distinct format, ',' order by format) from staging.int_x__posts")
    assert set(formats.split(",")) <= {"text", "image", "video", "link"} and "video" in formats
    assert baseline_contract_breaks(runtime, "x", "likes") == 0
