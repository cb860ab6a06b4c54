"""The Instagram simulator speaks the Graph wire format: envelopes, types, paging, errors, headers."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from simulator.server import SimulatorServer

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)
USER = "17841400000000101"
TOKEN = {"access_token": f"sim-ig:{USER}"}


@pytest.fixture
def sim():
    with SimulatorServer(seed=11, now=NOW, history_days=130) as server:
        yield server


@pytest.fixture
def graph(sim):
    with httpx.Client(base_url=sim.urls()["instagram_graph_facebook"] + "/v26.0", timeout=10) as client:
        yield client


def media_ids(graph) -> list[dict]:
    items, params = [], {**TOKEN, "fields": "id,media_product_type,timestamp,like_count", "limit": 20}
    url = f"{USER}/media"
    while url:
        body = graph.get(url, params=params).json()
        items += body["data"]
        url, params = body["paging"].get("next"), None
    return items


def test_media_pages_follow_full_next_urls_to_the_end_newest_first(graph):
    items = media_ids(graph)
    assert len(items) > 40 and len({i["id"] for i in items}) == len(items)
    stamps = [i["timestamp"] for i in items]
    assert stamps == sorted(stamps, reverse=True) and stamps[0].endswith("+0000")
    assert all(isinstance(i["like_count"], int) and i["id"].isdigit() for i in items)
    assert {i["media_product_type"] for i in items} <= {"FEED", "REELS"}  # stories are a separate edge
    user = graph.get(USER, params={**TOKEN, "fields": "media_count,followers_count"}).json()
    assert user["media_count"] == len(items) and isinstance(user["followers_count"], int)


def test_media_insights_metric_sets_depend_on_the_product_type(graph):
    items = media_ids(graph)
    reel = next(i for i in items if i["media_product_type"] == "REELS")
    ok = graph.get(f"{reel['id']}/insights", params={**TOKEN, "metric": "views,reach,ig_reels_avg_watch_time"})
    assert ok.status_code == 200
    assert [d["name"] for d in ok.json()["data"]] == ["views", "reach", "ig_reels_avg_watch_time"]
    assert ok.json()["data"][0]["values"][0]["value"] >= ok.json()["data"][1]["values"][0]["value"]
    bad = graph.get(f"{reel['id']}/insights", params={**TOKEN, "metric": "views,profile_visits"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == 100
    assert "profile_visits metric" in bad.json()["error"]["message"]
    retired = graph.get(f"{reel['id']}/insights", params={**TOKEN, "metric": "plays"})
    assert "no longer supported" in retired.json()["error"]["message"]


def test_account_time_series_and_follower_count_window(graph):
    params = {**TOKEN, "metric": "reach", "period": "day", "metric_type": "time_series",
              "since": "2026-11-10", "until": "2026-11-20"}
    values = graph.get(f"{USER}/insights", params=params).json()["data"][0]["values"]
    assert [v["end_time"] for v in values][0] == "2026-11-11T08:00:00+0000" and len(values) == 10
    too_old = graph.get(f"{USER}/insights", params={**params, "metric": "follower_count", "since": "2026-09-01",
                                                    "until": "2026-09-20"})
    assert too_old.json()["error"]["code"] == 100 and "30 days" in too_old.json()["error"]["message"]
    too_long = graph.get(f"{USER}/insights", params={**params, "since": "2026-09-01"})
    assert too_long.status_code == 400


def test_throttling_fault_is_80002_with_a_buc_header_of_type_instagram(sim, graph):
    sim.set_faults({"instagram": {"status_429_first": 1, "retry_after": 120}})
    resp = graph.get(USER, params=TOKEN)
    assert resp.status_code == 400 and resp.json()["error"]["code"] == 80002
    usage = json.loads(resp.headers["x-business-use-case-usage"])
    entry = next(iter(usage.values()))[0]
    assert entry["type"] == "instagram" and entry["estimated_time_to_regain_access"] == 2
    assert graph.get(USER, params=TOKEN).status_code == 200


def test_expired_token_and_not_enough_viewers_faults(sim, graph):
    item = media_ids(graph)[0]
    sim.set_faults({"instagram": {"ig_not_enough_viewers_every": 1}})
    resp = graph.get(f"{item['id']}/insights", params={**TOKEN, "metric": "views"})
    assert resp.json()["error"]["code"] == 10 and "Not enough viewers" in resp.json()["error"]["message"]
    sim.set_faults({"instagram": {"expire_token_after": 0}})
    err = graph.get(USER, params=TOKEN).json()["error"]
    assert err["code"] == 190 and err["error_subcode"] == 463


def test_tokens_of_other_accounts_and_no_token_are_refused(graph):
    assert graph.get(USER).json()["error"]["code"] == 190
    other = graph.get(f"{USER}/media", params={"access_token": "sim-ig:17841400000000999"}).json()["error"]
    assert other["code"] == 100 and other["error_subcode"] == 33


def test_stories_are_listed_for_24_hours_only(sim, graph):
    story = [p for p in sim.world.account("instagram", USER).posts if p.format == "story"][-1]
    sim.set_now(story.published_at + timedelta(hours=5))
    stories = graph.get(f"{USER}/stories", params={**TOKEN, "fields": "id,media_product_type"}).json()["data"]
    assert [s["id"] for s in stories] == [story.id] and stories[0]["media_product_type"] == "STORY"
    sim.set_now(story.published_at + timedelta(hours=25))
    assert graph.get(f"{USER}/stories", params=TOKEN).json()["data"] == []


def test_instagram_login_host_serves_me(sim):
    with httpx.Client(base_url=sim.urls()["instagram_graph_instagram"] + "/v26.0") as client:
        body = client.get("me", params={**TOKEN, "fields": "user_id,username"}).json()
    assert body["user_id"] == USER and body["username"]
