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

from ingestion.platforms import all_raw_tables
from ingestion.runner import run_platform
from ingestion.sync import Window
from tests.conftest import FIXTURES

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
    from simulator.world import World
    from tidemark.runtime import SIM_EPOCH

    world = World(runtime.settings.sim_seed, SIM_EPOCH, history_days=runtime.settings.sim_history_days)
    world.set_now(runtime.settings.now())
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
    from ingestion.tiktok import STREAMS

    return {table: scalar(runtime, f"select count(*) from raw.{table}") for table in STREAMS}


def test_identical_rerun_lands_nothing_and_walks_incrementally(runtime):
    sync(runtime, "run-1")
    before, list_calls = raw_rows(runtime), sim_calls("video_list")
    second = sync(runtime, "run-2")
    assert {r.status for r in second.values()} == {"success"}
    assert raw_rows(runtime) == before  # same clock, same data: dedupe on payload hash
    assert sim_calls("video_list") - list_calls == 2  # one page per account: the walk stops at the cursor
    assert sim_calls("video_query") > 0  # older videos refreshed by id
