"""The TikTok simulator speaks the reference wire format: envelopes, ms cursors, number types,
short pages with has_more, growing counters, error bodies per API."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx
import pytest

from simulator.server import SimulatorServer

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
OPEN_ID = "-000unitOpenId"
AUTH = {"Authorization": f"Bearer act.sim:{OPEN_ID}"}


@pytest.fixture
def sim():
    with SimulatorServer(seed=3, now=NOW, history_days=120) as server:
        yield server


def video_list(sim, body, fields="id,create_time,view_count", headers=AUTH):
    return httpx.post(sim.urls()["tiktok_open"] + "/v2/video/list/", params={"fields": fields}, json=body,
                      headers=headers)


def test_walk_with_ms_cursor_reaches_every_video_newest_first(sim):
    cursor, ids, short_pages, times = None, [], 0, []
    while True:
        answer = video_list(sim, {"max_count": 20, **({"cursor": cursor} if cursor else {})}).json()
        assert answer["error"]["code"] == "ok" and answer["error"]["log_id"]
        data = answer["data"]
        short_pages += len(data["videos"]) < 20 and data["has_more"]
        ids += [v["id"] for v in data["videos"]]
        times += [v["create_time"] for v in data["videos"]]
        assert all(isinstance(v["view_count"], int) for v in data["videos"])
        if not data["has_more"]:
            break
        assert data["cursor"] == data["videos"][-1]["create_time"] * 1000  # ms, seconds in create_time
        cursor = data["cursor"]
    posts = sim.world.account("tiktok", OPEN_ID).posts
    assert len(ids) == len(set(ids)) == len(posts) and times == sorted(times, reverse=True)
    assert short_pages > 0


def test_counts_only_grow_with_the_clock(sim):
    first = {v["id"]: v["view_count"] for v in video_list(sim, {"max_count": 20}).json()["data"]["videos"]}
    sim.set_now("2026-11-21T12:00:00Z")
    later = {v["id"]: v["view_count"] for v in video_list(sim, {"max_count": 20}).json()["data"]["videos"]}
    assert all(later[k] >= first[k] for k in first if k in later) and later != first


@pytest.mark.parametrize(("faults", "status", "code"), [
    ({"status_429_first": 1}, 429, "rate_limit_exceeded"),
    ({"status_500_first": 1}, 500, "internal_error"),
    ({"invalid_token": True}, 401, "access_token_invalid"),
    ({"tiktok_scope_not_authorized": ["video_list"]}, 401, "scope_not_authorized"),
    ({"tiktok_invalid_fields": ["view_count"]}, 400, "invalid_params"),
])
def test_display_faults_render_tiktok_errors(sim, faults, status, code):
    sim.set_faults({"tiktok": faults})
    answer = video_list(sim, {"max_count": 20})
    assert answer.status_code == status and answer.json()["error"]["code"] == code


def test_max_count_over_20_is_invalid_params(sim):
    answer = video_list(sim, {"max_count": 21})
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "invalid_params"


def test_business_envelope_lookback_and_throttle(sim):
    url = sim.urls()["tiktok_business"] + "/business/get/"
    headers = {"Access-Token": f"bat.sim:{OPEN_ID}"}
    params = {"business_id": OPEN_ID, "fields": json.dumps(["video_views", "daily_total_followers"]),
              "start_date": "2026-11-01", "end_date": "2026-11-20"}
    body = httpx.get(url, params=params, headers=headers).json()
    assert body["code"] == 0 and body["data"]["metrics"][-1]["date"] == "2026-11-19"  # one day of lag
    too_old = httpx.get(url, params={**params, "start_date": "2026-09-01"}, headers=headers).json()
    assert too_old["code"] == 40002
    sim.set_faults({"tiktok": {"status_429_first": 1, "endpoints": ["business_get"]}})
    throttled = httpx.get(url, params=params, headers=headers)
    assert throttled.status_code == 200 and throttled.json()["code"] == 40100
