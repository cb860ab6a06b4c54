"""Numbers people can trust: the marts against the simulator's ground truth, all six platforms.

A deployment's life in miniature: the first sync of every account at FIRST_SYNC (12:00 UTC, its
history loaded), then one sync a day at 12:00 for 15 more days, each platform requesting its
lookback window as the schedule would; one dbt build after the last sync. Then every comparison
runs (each reports its worst offenders) and the test fails if any failed:

  a. account × day: views / impressions / engagements exact on complete days where the platform
     reports account days; followers within FOLLOWERS_*; summed-from-posts accounts NULL before
     tracking and within POST_SUM_* after it;
  b. per post lifetime: what the platform showed (exact), at the last sync for every post the
     connector re-reads (YouTube shares: between the final and the reported Analytics days);
  c. baseline and no first-sync lump: Σ daily + baseline = lifetime; no D0 row for posts older
     than tracking; no day above LUMP_SHARE of a post's lifetime after its launch days;
  d. estimated days: the tracked window's sum is exact, each day within POST_DAY_*, is_estimated
     on days spread between readings;
  e. coverage: complete_through per account = what the platform can deliver final.

test_a_reference_pipeline_passes_every_check runs the same comparisons on marts built by linear
interpolation of the same 12:00 readings: the tolerances are what such a pipeline achieves.

The parts live in tests/ground_truth/: the timeline and the tolerances with their reasons in
`world.py` (the numbers docs/metrics.md states), the checks in `checks_accounts.py` (a, e) and
`checks_posts.py` (b, c, d), the reference pipeline in `reference.py`; the machinery (syncs, dbt
build, soft checks) in tests/truth_harness.py.

The truth is `simulator.truth` in each platform's terms (views, impressions, likes, comments,
shares, saves; engagements = likes + comments + shares). Mart column names live in world.SQL only.
"""

from __future__ import annotations

import time

from tests.ground_truth.checks_accounts import check_account_days, check_coverage, complete_day_sets
from tests.ground_truth.checks_posts import check_baselines_and_lumps, check_estimated_days, check_lifetimes
from tests.ground_truth.reference import reference_marts
from tests.ground_truth.world import HISTORY_DAYS, SIM_EPOCH, SYNCS, Marts, TruthSide, truth_side
from tests.truth_harness import FIXTURE, Checks, dbt_build, expect, run_timeline


def test_marts_match_the_simulators_truth(tidemark_env, monkeypatch, tmp_path):
    from tidemark.runtime import SIM_EPOCH as RUNTIME_EPOCH
    from tidemark.runtime import load_runtime

    assert RUNTIME_EPOCH == SIM_EPOCH
    monkeypatch.setenv("TIDEMARK_CONFIG", str(FIXTURE))
    monkeypatch.setenv("TIDEMARK_SIM_HISTORY_DAYS", str(HISTORY_DAYS))
    monkeypatch.setenv("TIDEMARK_INITIAL_SYNC_DAYS", str(HISTORY_DAYS))
    started = time.perf_counter()
    log = run_timeline(monkeypatch, SYNCS)
    assert log.failures == []
    runtime = load_runtime()
    build_started = time.perf_counter()
    build_errors = dbt_build(runtime, tmp_path)
    log.build_seconds = time.perf_counter() - build_started

    checks = Checks()
    with checks.check("dbt: every model of the social marts builds"):
        expect(build_errors == "", build_errors)
    world = truth_side(int(tidemark_env["TIDEMARK_SIM_SEED"]))
    marts = Marts(runtime)
    complete = complete_day_sets(checks, marts, world)
    check_account_days(checks, marts, world, complete)
    check_lifetimes(checks, marts, world)
    check_baselines_and_lumps(checks, marts, world)
    check_estimated_days(checks, marts, world)
    check_coverage(checks, marts, world)

    report = checks.report()
    print(f"\nground truth: 16 syncs {sum(log.seconds):.0f} s ({', '.join(f'{p} {s:.0f} s' for p, s in log.per_platform.items())}), "
          f"dbt {log.build_seconds:.0f} s, total {time.perf_counter() - started:.0f} s\n{report}")
    assert not checks.failed, report


def test_a_reference_pipeline_passes_every_check():
    """The tolerances can be met: marts built from the same readings by linear interpolation of the
    12:00 lifetimes (tests/truth_harness.estimated_days) pass every comparison. No warehouse needed."""
    world = truth_side(SEED)
    checks = Checks()
    run_checks(checks, Marts(None, reference_marts(world)), world)
    assert not checks.failed, checks.report()


SEED = 11  # tests/conftest.py tidemark_env's TIDEMARK_SIM_SEED


def run_checks(checks: Checks, marts: Marts, world: TruthSide) -> None:
    complete = complete_day_sets(checks, marts, world)
    check_account_days(checks, marts, world, complete)
    check_lifetimes(checks, marts, world)
    check_baselines_and_lumps(checks, marts, world)
    check_estimated_days(checks, marts, world)
    check_coverage(checks, marts, world)
