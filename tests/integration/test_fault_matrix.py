"""Every simulator fault, through the whole graph, then a clean rerun that restores the marts.

One simulated account per platform (tests/fixtures/all_platforms.yaml), the clock pinned. A clean
run first: every platform reaches the marts, and its md5 per mart is the baseline. Then rounds of
faults — one per platform per round (faults are keyed by platform), so six run at once — each
asserting, per fault, the documented outcome (docs/quality.md, "Fault matrix") and, per round, the
exit code `tidemark run` would return. Last, a clean rerun: every mart equals the baseline again,
byte for byte — nothing a fault did survives once the platforms answer well.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from ingestion.registry import connectors
from tests.helpers import marts
from tidemark.dagster_home import prepare_dagster_home
from tidemark.pipeline import run_pipeline
from tidemark.summary import FAILED, OK, PARTIAL

FIXTURE = Path(__file__).parent.parent / "fixtures" / "all_platforms.yaml"
PLATFORMS = ["youtube", "facebook", "instagram", "tiktok", "x", "linkedin"]


@dataclass(frozen=True)
class Fault:
    platform: str
    config: dict
    outcome: str  # see OUTCOMES


OUTCOMES = {
    "quarantined": "bad rows held in ops.quarantine by a blocking check of the platform; the account synced",
    "rejected": "responses refused at load (ops.quarantine without raw_id); nothing stored is replaced",
    "warned": "a warning (check or sync) names the platform; nothing held; the account synced",
    "accepted": "no check of the platform fails or warns, nothing held; the account synced",
    "partial": "the account stopped part-way (kept what it fetched)",
    "platform_failed": "every account of the platform failed",
}

ROUNDS = [
    (FAILED, [  # corrupt records: held back, the gate blocks the reports
        Fault("youtube", {"negative_counters": True}, "quarantined"),
        Fault("facebook", {"missing_required_fields": True}, "quarantined"),
        Fault("x", {"counts_as_strings": True}, "quarantined"),
        Fault("linkedin", {"future_timestamps": True}, "quarantined"),
        Fault("instagram", {"duplicated_pages": True}, "accepted"),
        Fault("tiktok", {"unknown_field": True}, "warned"),
    ]),
    (OK, [  # survivable: retried, refreshed, warned about, or refused without harm
        Fault("youtube", {"row_drop_90": True}, "rejected"),
        # frozen for one run on the day after fresh deliveries: the days already delivered are still
        # fresh, so nothing is stale yet (frozen across days warns: test_quality_faults)
        Fault("facebook", {"stale_data": 7}, "accepted"),
        Fault("instagram", {"status_429_first": 3, "retry_after": 0}, "accepted"),
        Fault("tiktok", {"status_500_first": 2}, "accepted"),
        Fault("x", {"x_field_auth_errors": True}, "warned"),
        Fault("linkedin", {"row_drop_90": True}, "accepted"),
    ]),
    (PARTIAL, [  # an account stops part-way; the platforms' own refusals are skipped with a warning
        Fault("youtube", {"quota_exceeded_after": 12}, "partial"),
        Fault("x", {"x_rejected_fields": ["organic_metrics"]}, "warned"),
        Fault("tiktok", {"expire_token_after": 3}, "accepted"),
        # (facebook_throttle and facebook_app_usage_pct make the client wait minutes on a real clock by
        # design; test_facebook_connector runs them on a virtual one)
        Fault("facebook", {"facebook_retired_metrics": ["post_clicks"],
                           "facebook_not_enough_viewers": ["page_follows_city"]}, "warned"),
        Fault("instagram", {"ig_reject_metrics": ["profile_visits"], "ig_not_enough_viewers_every": 3}, "warned"),
        Fault("linkedin", {"linkedin_access_denied": ["organizationalEntityFollowerStatistics"],
                           "linkedin_retired_metrics": ["TIME_WATCHED_FOR_VIDEO_VIEWS"]}, "partial"),
    ]),
    (FAILED, [  # a revoked grant, a sunset API version; a scope not granted, a field refused, a slow endpoint
        Fault("facebook", {"invalid_token": True}, "platform_failed"),
        Fault("linkedin", {"linkedin_min_version": 202612}, "platform_failed"),
        Fault("tiktok", {"tiktok_scope_not_authorized": ["user_info"], "tiktok_invalid_fields": ["share_count"]},
              "warned"),
        Fault("x", {"status_500_first": 2, "endpoints": ["user_tweets"]}, "accepted"),
    ]),
]


def rows(runtime, query: str, *params) -> list[tuple]:
    with runtime.connect() as conn, conn.cursor() as cur:
        cur.execute(query, params)
        return cur.fetchall()


def fingerprints(runtime) -> dict[str, str]:
    return {mart: rows(runtime, f"select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) "
                                f"from marts.{mart} as t")[0][0] for mart in marts()}


def held(runtime, platform: str, stored: bool) -> int:
    return rows(runtime, "select count(*) from ops.quarantine where platform = %s and (raw_id is not null) = %s",
                platform, stored)[0][0]


def sync_warnings(runtime, platform: str, since) -> int:
    return rows(runtime, "select coalesce(sum(jsonb_array_length(warnings)), 0) from ops.sync_results "
                         "where platform = %s and finished_at > %s", platform, since)[0][0]


@pytest.fixture
def six(monkeypatch, tidemark_env):
    monkeypatch.setenv("TIDEMARK_CONFIG", str(FIXTURE))
    for name in ("TIDEMARK_SIM_HISTORY_DAYS", "TIDEMARK_INITIAL_SYNC_DAYS"):
        monkeypatch.setenv(name, "21")
    from tidemark.runtime import load_runtime

    runtime = load_runtime()
    prepare_dagster_home(runtime.settings)
    return runtime


def run(monkeypatch, faults: dict | None):
    """One `tidemark run` of every platform with these simulator faults (a fresh runtime: the
    simulator restarts with them)."""
    import json

    from tidemark.runtime import load_runtime

    if faults:
        monkeypatch.setenv("TIDEMARK_SIM_FAULTS", json.dumps(faults))
    else:
        monkeypatch.delenv("TIDEMARK_SIM_FAULTS", raising=False)
    runtime = load_runtime()
    return runtime, run_pipeline(runtime, PLATFORMS, log=lambda message: None)


def test_every_fault_has_its_outcome_and_a_clean_rerun_restores_every_mart(six, monkeypatch):
    assert sorted(connectors()) == sorted(PLATFORMS)
    runtime, clean = run(monkeypatch, None)
    assert clean.exit_code == OK, (clean.failed_checks, clean.account_failures)
    for mart in ("dim_posts", "fct_account_metrics_daily", "mart_data_coverage"):
        found = rows(runtime, f"select array_agg(distinct platform order by platform) from marts.{mart}")[0][0]
        assert found == sorted(PLATFORMS), mart
    # one sync: a snapshot platform's posts have their lifetime so far as baseline, no day yet (no
    # first-sync lump); YouTube reports every post's days itself
    days = "select array_agg(distinct platform order by platform) from marts.fct_post_metrics_daily"
    assert rows(runtime, days)[0][0] == ["youtube"]
    baselines = ("select array_agg(distinct platform order by platform) from marts.dim_posts "
                 "where baseline_views > 0 or baseline_impressions > 0")
    assert rows(runtime, baselines)[0][0] == sorted(p for p in PLATFORMS if p != "youtube")
    baseline = fingerprints(runtime)

    wrong = []  # every round runs, so one test run shows every outcome that differs
    for expected_exit, faults in ROUNDS:
        started = rows(runtime, "select now()")[0][0]
        before = {f.platform: (held(runtime, f.platform, True), held(runtime, f.platform, False)) for f in faults}
        runtime, summary = run(monkeypatch, {f.platform: f.config for f in faults})
        for fault in faults:
            try:
                assert_outcome(runtime, summary, fault, before[fault.platform], started)
            except AssertionError as error:
                wrong.append(str(error))
        if summary.exit_code != expected_exit:
            wrong.append(f"exit {summary.exit_code} != {expected_exit}: {faults} {summary.failed_checks} "
                         f"{summary.warned_checks} {summary.account_failures}")
    assert wrong == []

    runtime, rerun = run(monkeypatch, None)
    assert rerun.exit_code == OK, (rerun.failed_checks, rerun.account_failures)
    after = fingerprints(runtime)
    assert {m: after[m] for m in after if after[m] != baseline[m]} == {}, "marts differ from the clean baseline"


def assert_outcome(runtime, summary, fault: Fault, before: tuple[int, int], started) -> None:
    p, what = fault.platform, f"{fault.platform} {fault.config} → {fault.outcome}"
    status = {a.status for a in summary.accounts if a.platform == p}
    failed = [c for c in summary.failed_checks if p in c]
    warned = [c for c in summary.warned_checks if p in c]
    stored, at_load = held(runtime, p, True) - before[0], held(runtime, p, False) - before[1]
    if fault.outcome == "partial":
        assert status == {"partial"}, what
        return
    if fault.outcome == "platform_failed":
        assert p in summary.failed_platforms, what
        return
    assert status == {"success"}, (what, summary.account_failures)
    if fault.outcome == "quarantined":
        assert stored > 0 and failed, (what, stored, failed)
    elif fault.outcome == "rejected":
        assert at_load > 0 and stored == 0 and not failed, (what, at_load, stored, failed)
    elif fault.outcome == "warned":
        assert stored == 0 and not failed and (warned or sync_warnings(runtime, p, started)), (what, failed)
    else:
        assert fault.outcome == "accepted", what
        assert stored == 0 and at_load == 0 and not failed and not warned, (what, stored, at_load, failed, warned)
