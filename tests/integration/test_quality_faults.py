"""Each simulator data fault → its documented outcome (docs/quality.md), on one platform each.

Ingestion + GX only (no dbt) — fast. The sync never crashes, good records always land, and bad
records are quarantined (blocking) or only reported (warning). Report/gate outcomes, which need
dbt, are in test_pipeline.py (a blocking fault holds the report) and test_fault_matrix.py.
"""

from __future__ import annotations

import json

from expectations.freshness import allowed_age_days, newest_day
from expectations.runner import validate_table
from expectations.suites import all_suites
from tests.integration.test_quality_suites import land


def _land(monkeypatch, platform: str, faults: dict | None):
    if faults:
        monkeypatch.setenv("TIDEMARK_SIM_FAULTS", json.dumps({platform: faults}))
    return land(monkeypatch, platform)


def validate_all(runtime, platform: str) -> dict:
    with runtime.connect() as conn:
        return {s.table: validate_table(runtime.warehouse_url, conn, s, "run-1", f"raw/{s.table}")
                for s in all_suites() if s.platform == platform}


def scalar(runtime, query: str, *params):
    with runtime.connect() as conn, conn.cursor() as cur:
        cur.execute(query, params)
        return cur.fetchone()[0]


def sync_statuses(runtime) -> set[str]:
    with runtime.connect() as conn, conn.cursor() as cur:
        cur.execute("select distinct status from ops.sync_results")
        return {row[0] for row in cur.fetchall()}


def assert_caught(runtime, outcomes: dict, reason_part: str) -> None:
    """Blocking outcome: some suite failed, its rows are quarantined with the reason, good rows remain."""
    failed = {table: o for table, o in outcomes.items() if not o.passed}
    assert failed, "the fault was not caught"
    assert sync_statuses(runtime) == {"success"}  # the run did not crash
    for table, outcome in failed.items():
        total = scalar(runtime, f"select count(*) from raw.{table}")
        assert 0 < outcome.quarantined < total or total == 1, (table, outcome.quarantined, total)  # good rows kept
    reasons = scalar(runtime, "select string_agg(reason, ' | ') from ops.quarantine")
    assert reason_part in reasons, reasons


def test_negative_counters_are_quarantined(tidemark_env, monkeypatch):
    runtime = _land(monkeypatch, "youtube", {"negative_counters": True})
    outcomes = validate_all(runtime, "youtube")
    assert_caught(runtime, outcomes, "non-negative")
    assert not outcomes["youtube_videos"].passed and not outcomes["youtube_video_daily"].passed


def test_missing_required_fields_are_quarantined(tidemark_env, monkeypatch):
    runtime = _land(monkeypatch, "facebook", {"missing_required_fields": True})
    outcomes = validate_all(runtime, "facebook")
    assert_caught(runtime, outcomes, "required fields present")
    assert not outcomes["facebook_posts"].passed


def test_counts_as_strings_are_quarantined(tidemark_env, monkeypatch):
    runtime = _land(monkeypatch, "x", {"counts_as_strings": True})
    outcomes = validate_all(runtime, "x")
    assert_caught(runtime, outcomes, "is a non-negative integer")
    assert not outcomes["x_posts"].passed


def test_future_timestamps_are_quarantined(tidemark_env, monkeypatch):
    runtime = _land(monkeypatch, "linkedin", {"future_timestamps": True})
    outcomes = validate_all(runtime, "linkedin")
    assert_caught(runtime, outcomes, "at most a day in the future")
    assert not outcomes["linkedin_posts"].passed


def test_unknown_field_is_a_warning_only(tidemark_env, monkeypatch):
    runtime = _land(monkeypatch, "tiktok", {"unknown_field": True})
    outcomes = validate_all(runtime, "tiktok")
    assert all(o.passed for o in outcomes.values())  # nothing blocks
    drifted = {t for t, o in outcomes.items() if any("unknown fields" in w.name for w in o.warnings)}
    assert {"tiktok_videos", "tiktok_business_videos"} <= drifted
    assert scalar(runtime, "select count(*) from ops.quarantine") == 0
    assert sync_statuses(runtime) == {"success"}


def test_duplicated_pages_land_once(tidemark_env, monkeypatch):
    runtime = _land(monkeypatch, "instagram", {"duplicated_pages": True})
    outcomes = validate_all(runtime, "instagram")
    assert all(o.passed and not o.warnings for o in outcomes.values())
    assert sync_statuses(runtime) == {"success"}
    # A repeated record is the same (account, key, payload): stored once, nothing quarantined.
    assert scalar(runtime, "select count(*) - count(distinct (account_id, record_key)) from raw.instagram_media") == 0
    assert scalar(runtime, "select count(*) from raw.instagram_media") > 10


def test_stale_data_warns_through_freshness(tidemark_env, monkeypatch):
    runtime = _land(monkeypatch, "facebook", {"stale_data": 7})
    outcomes = validate_all(runtime, "facebook")
    assert all(o.passed for o in outcomes.values())  # stale data is valid data: nothing quarantined
    with runtime.connect() as conn:
        newest = newest_day(conn, runtime.platforms["facebook"])
    age = (runtime.settings.now().date() - newest).days
    assert age > allowed_age_days(runtime.platform_settings("facebook")), (newest, age)


def test_stale_data_is_stale_even_after_fresh_deliveries(tidemark_env, monkeypatch):
    """A clean sync stores fresh days; the next day the API serves frozen data: still stale (the
    newest day of the *last* delivery counts, not the newest ever stored)."""
    from ingestion.runner import run_platform
    from tests.integration.test_quality_suites import WINDOW

    _land(monkeypatch, "facebook", None)
    monkeypatch.setenv("TIDEMARK_SIM_NOW", "2026-11-27T12:00:00+00:00")  # a week later, API frozen
    monkeypatch.setenv("TIDEMARK_SIM_FAULTS", json.dumps({"facebook": {"stale_data": 7}}))
    later = _reload()
    run_platform(later, "facebook", WINDOW, "run-2", sleep=lambda s: None)
    with later.connect() as conn:
        newest = newest_day(conn, later.platforms["facebook"])
    age = (later.settings.now().date() - newest).days
    assert age > allowed_age_days(later.platform_settings("facebook")), (newest, age)


def test_a_load_time_rejection_does_not_make_a_platform_stale(tidemark_env, monkeypatch):
    """Rejections at load time have no raw_id: the exclusion rule must not turn `not in` into NULL."""
    runtime = _land(monkeypatch, "facebook", None)
    with runtime.connect() as conn, conn, conn.cursor() as cur:
        cur.execute("insert into ops.quarantine (raw_table, raw_id, platform, account_id, run_id, check_name, "
                    "reason) values ('facebook_page_insights', null, 'facebook', 'x', 'run-1', 'schema', 'test')")
    with runtime.connect() as conn:
        newest = newest_day(conn, runtime.platforms["facebook"])
    assert newest is not None
    assert (runtime.settings.now().date() - newest).days <= allowed_age_days(runtime.platform_settings("facebook"))


def test_fresh_data_is_fresh(tidemark_env, monkeypatch):
    runtime = _land(monkeypatch, "facebook", None)
    with runtime.connect() as conn:
        newest = newest_day(conn, runtime.platforms["facebook"])
    assert (runtime.settings.now().date() - newest).days <= allowed_age_days(runtime.platform_settings("facebook"))


def test_row_drop_90_loses_nothing_already_landed(tidemark_env, monkeypatch):
    runtime = _land(monkeypatch, "youtube", None)
    before = scalar(runtime, "select count(distinct record_key) from raw.youtube_videos")
    monkeypatch.setenv("TIDEMARK_SIM_FAULTS", json.dumps({"youtube": {"row_drop_90": True}}))
    from ingestion.runner import run_platform
    from tests.integration.test_quality_suites import WINDOW

    run_platform(_reload(), "youtube", WINDOW, "run-2", sleep=lambda s: None)
    assert scalar(runtime, "select count(distinct record_key) from raw.youtube_videos") == before
    print(scalar(runtime, "select string_agg(status || ': ' || coalesce(message, ''), ' | ') from ops.sync_results"))
    assert "failed" not in sync_statuses(runtime)


def _reload():
    from tidemark.runtime import load_runtime

    return load_runtime()
