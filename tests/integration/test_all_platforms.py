"""All six platforms through the whole graph: raw → marts for each, and a rerun changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingestion.registry import connectors
from tidemark.dagster_home import prepare_dagster_home
from tidemark.pipeline import run_pipeline

FIXTURE = Path(__file__).parent.parent / "fixtures" / "all_platforms.yaml"
PLATFORMS = ["youtube", "facebook", "instagram", "tiktok", "x", "linkedin"]
FACTS = ("dim_posts", "fct_post_metrics_daily", "fct_account_metrics_daily")


@pytest.fixture
def six(monkeypatch, tidemark_env):
    monkeypatch.setenv("TIDEMARK_CONFIG", str(FIXTURE))
    monkeypatch.setenv("TIDEMARK_SIM_HISTORY_DAYS", "40")
    monkeypatch.setenv("TIDEMARK_INITIAL_SYNC_DAYS", "40")
    from tidemark.runtime import load_runtime

    runtime = load_runtime()
    prepare_dagster_home(runtime.settings)
    return runtime


def fingerprint(runtime) -> dict:
    with runtime.connect() as conn, conn.cursor() as cur:
        result = {}
        for mart in FACTS + ("dim_accounts",):
            cur.execute(f"select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) from marts.{mart} as t")
            result[mart] = cur.fetchone()[0]
        return result


def test_every_platform_reaches_the_marts_and_reruns_are_identical(six):
    assert sorted(connectors()) == sorted(PLATFORMS)
    first = run_pipeline(six, PLATFORMS, log=lambda message: None)
    assert first.success, first.runs
    with six.connect() as conn, conn.cursor() as cur:
        for mart in ("dim_posts", "fct_account_metrics_daily"):
            cur.execute(f"select array_agg(distinct platform order by platform) from marts.{mart}")
            assert cur.fetchone()[0] == sorted(PLATFORMS), mart
        # one sync: a snapshot platform's posts have their lifetime so far as baseline, no day yet
        # (no first-sync lump); YouTube reports every post's days itself
        cur.execute("select array_agg(distinct platform order by platform) from marts.fct_post_metrics_daily")
        assert cur.fetchone()[0] == ["youtube"]
        cur.execute("select array_agg(distinct platform order by platform) from marts.dim_posts "
                    "where baseline_views > 0 or baseline_impressions > 0")
        assert cur.fetchone()[0] == sorted(p for p in PLATFORMS if p != "youtube")
    prints = fingerprint(six)

    second = run_pipeline(six, PLATFORMS, log=lambda message: None)
    assert second.success, second.runs
    assert fingerprint(six) == prints
