"""The X simulator speaks the v2 wire format: paging, time filters, owner-only fields, errors."""

from __future__ import annotations

from datetime import datetime, timedelta

import httpx
import pytest

from simulator.platforms.x import api
from simulator.platforms.x.common import APP_BEARER
from simulator.server import SimulatorServer

USER = "1500000000000000001"
NOW = "2026-11-20T12:00:00Z"


@pytest.fixture
def sim():
    with SimulatorServer(seed=3, now="2026-11-01T00:00:00Z", history_days=130) as server:
        server.set_now(NOW)
        yield server


def get(sim, path, params=None, token=APP_BEARER):
    return httpx.get(sim.urls()["x_api"] + path, params=params or {}, headers={"Authorization": f"Bearer {token}"})


def user_token(sim, user=USER):
    body = httpx.post(sim.urls()["x_token"], data={"grant_type": "refresh_token",
                                                   "refresh_token": f"sim-x-refresh:{user}", "client_id": "c"}).json()
    return body["access_token"]


def walk(sim, params, token=APP_BEARER):
    pages, params = [], dict(params)
    while True:
        body = get(sim, f"/users/{USER}/tweets", params, token).json()
        pages.append(body)
        if "next_token" not in body["meta"]:
            return pages
        params["pagination_token"] = body["meta"]["next_token"]


def test_timeline_pages_to_the_end_newest_first_without_repeats(sim):
    pages = walk(sim, {"max_results": 5, "tweet.fields": "created_at,public_metrics"})
    posts = [t for page in pages for t in page.get("data", [])]
    assert len(pages) > 3 and len(posts) == len({t["id"] for t in posts})
    stamps = [t["created_at"] for t in posts]
    assert stamps == sorted(stamps, reverse=True)
    assert all(s.endswith(".000Z") and len(s) == 24 for s in stamps)  # X timestamp format
    assert all(isinstance(v, int) for v in posts[0]["public_metrics"].values())  # numbers, not strings
    assert pages[0]["meta"]["result_count"] == 5 and "previous_token" in pages[1]["meta"]


def test_time_window_is_start_inclusive_end_exclusive(sim):
    posts = [t for p in walk(sim, {"max_results": 100, "tweet.fields": "created_at"}) for t in p.get("data", [])]
    pivot = posts[3]["created_at"]
    newer = [t for p in walk(sim, {"max_results": 100, "start_time": pivot[:19] + "Z"}) for t in p.get("data", [])]
    older = [t for p in walk(sim, {"max_results": 100, "end_time": pivot[:19] + "Z"}) for t in p.get("data", [])]
    assert len(newer) == 4 and len(older) == len(posts) - 4


def test_only_the_latest_3200_are_reachable(sim, monkeypatch):
    monkeypatch.setattr(api, "REACHABLE", 7)
    posts = [t for p in walk(sim, {"max_results": 5}) for t in p.get("data", [])]
    assert len(posts) == 7


def test_owner_metrics_only_for_the_owner_and_recent_posts(sim):
    fields = {"max_results": 100, "tweet.fields": "created_at,public_metrics,non_public_metrics"}
    as_app = get(sim, f"/users/{USER}/tweets", fields).json()
    assert all("non_public_metrics" not in t for t in as_app["data"])
    assert {e["title"] for e in as_app["errors"]} == {"Field Authorization Error"}
    as_owner = get(sim, f"/users/{USER}/tweets", fields, user_token(sim)).json()
    cutoff = datetime.fromisoformat(NOW.replace("Z", "+00:00")) - timedelta(days=30)
    for post in as_owner["data"]:
        recent = datetime.fromisoformat(post["created_at"].replace("Z", "+00:00")) >= cutoff
        assert ("non_public_metrics" in post) == recent
    assert len(as_owner["errors"]) == sum("non_public_metrics" not in t for t in as_owner["data"])


def test_counters_only_grow_with_the_clock(sim):
    first = {t["id"]: t["public_metrics"] for t in get(sim, f"/users/{USER}/tweets",
                                                       {"tweet.fields": "public_metrics", "max_results": 20}).json()["data"]}
    sim.set_now("2026-11-21T12:00:00Z")
    later = get(sim, f"/users/{USER}/tweets", {"tweet.fields": "public_metrics", "max_results": 100}).json()["data"]
    for post in later:
        if post["id"] in first:
            assert all(post["public_metrics"][k] >= v for k, v in first[post["id"]].items())


@pytest.mark.parametrize(("params", "parameter"), [
    ({"max_results": 101}, "max_results"), ({"tweet.fields": "bogus"}, "tweet.fields"),
    ({"pagination_token": "nope"}, "pagination_token"), ({"start_time": "yesterday"}, "start_time"),
])
def test_invalid_parameters_are_400_invalid_request(sim, params, parameter):
    answer = get(sim, f"/users/{USER}/tweets", params)
    assert answer.status_code == 400
    body = answer.json()
    assert body["type"].endswith("/problems/invalid-request") and parameter in body["errors"][0]["parameters"]


def test_unknown_token_is_401_and_rate_headers_are_sent(sim):
    assert get(sim, f"/users/{USER}", token="nope").status_code == 401
    answer = get(sim, f"/users/{USER}", {"user.fields": "public_metrics"})
    assert answer.headers["x-rate-limit-limit"] == "300" and int(answer.headers["x-rate-limit-remaining"]) < 300
    assert set(answer.json()["data"]["public_metrics"]) >= {"followers_count", "following_count", "tweet_count",
                                                           "listed_count"}


def test_fault_keys_render_in_x_format(sim):
    sim.set_faults({"x": {"quota_exceeded_after": 0}})
    capped = get(sim, f"/users/{USER}")
    assert capped.status_code == 429 and capped.json()["type"].endswith("/problems/usage-capped")
    sim.set_faults({"x": {"x_field_auth_errors": True}})
    body = get(sim, f"/users/{USER}/tweets", {"tweet.fields": "non_public_metrics"}, user_token(sim)).json()
    assert body["data"] and all("non_public_metrics" not in t for t in body["data"])
    assert len(body["errors"]) == len(body["data"])
    sim.set_faults({"x": {"x_rejected_fields": ["organic_metrics"]}})
    assert get(sim, f"/users/{USER}/tweets", {"tweet.fields": "organic_metrics"}).status_code == 400
