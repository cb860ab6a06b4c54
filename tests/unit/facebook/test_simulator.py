"""The Facebook simulator speaks Graph: envelopes, cursor paging, errors, growth, determinism."""

from __future__ import annotations

import httpx

from simulator.server import SimulatorServer

PAGE = "101000000000001"
AUTH = {"Authorization": f"Bearer sim-fb-page:{PAGE}"}
NOW = "2026-11-20T12:00:00Z"


def _get(sim, path, **params):
    return httpx.get(f"{sim.urls()['facebook_graph']}/v26.0/{path}", params=params, headers=AUTH, timeout=10)


def _all_posts(sim):
    ids, url, params = [], f"{sim.urls()['facebook_graph']}/v26.0/{PAGE}/posts", {"limit": 10, "fields": "id,shares"}
    while url:
        body = httpx.get(url, params=params, headers=AUTH, timeout=10).json()
        ids += [item["id"] for item in body["data"]]
        url, params = body.get("paging", {}).get("next"), None
    return ids


def test_posts_page_to_the_end_and_are_deterministic():
    with SimulatorServer(seed=3, now=NOW, history_days=60) as one, SimulatorServer(seed=3, now=NOW,
                                                                                  history_days=60) as two:
        ids = _all_posts(one)
        assert len(ids) == len(set(ids)) > 20 and all(i.startswith(PAGE + "_") for i in ids)
        assert ids == _all_posts(two)
        first, second = (_get(sim, f"{PAGE}/posts", limit=5).json() for sim in (one, two))
        assert first["data"] == second["data"] and first["paging"]["cursors"] == second["paging"]["cursors"]
        assert set(first["paging"]["cursors"]) == {"before", "after"}


def test_counters_only_grow_with_the_clock():
    with SimulatorServer(seed=3, now=NOW, history_days=60) as sim:
        post = _get(sim, f"{PAGE}/posts", limit=1).json()["data"][0]["id"]
        before = _get(sim, f"{post}/insights", metric="post_media_view").json()["data"][0]["values"][0]["value"]
        sim.set_now("2026-11-22T12:00:00Z")
        after = _get(sim, f"{post}/insights", metric="post_media_view").json()["data"][0]["values"][0]["value"]
        assert after >= before > 0


def test_errors_follow_the_meta_envelope():
    with SimulatorServer(seed=3, now=NOW, history_days=60) as sim:
        retired = _get(sim, f"{PAGE}/insights", metric="page_impressions", period="day")
        assert retired.status_code == 400 and retired.json()["error"]["code"] == 100
        assert "page_impressions" in retired.json()["error"]["message"]
        too_long = _get(sim, f"{PAGE}/insights", metric="page_media_view", since="2026-01-01", until="2026-11-01")
        assert too_long.json()["error"]["code"] == 100
        bad_token = httpx.get(f"{sim.urls()['facebook_graph']}/v26.0/{PAGE}", headers={"Authorization": "Bearer x"})
        assert bad_token.json()["error"]["code"] == 190
        sim.set_faults({"facebook": {"facebook_throttle": {"code": 613, "calls": 1, "regain_minutes": 2}}})
        throttled = _get(sim, PAGE)
        assert throttled.json()["error"]["code"] == 613 and throttled.json()["error"]["is_transient"] is True
        assert '"estimated_time_to_regain_access": 2' in throttled.headers["x-business-use-case-usage"]
        assert _get(sim, PAGE, fields="followers_count").json()["followers_count"] > 0


def test_page_insights_by_day_lag_and_late_data():
    with SimulatorServer(seed=3, now=NOW, history_days=60) as sim:
        body = _get(sim, f"{PAGE}/insights", metric="page_media_view", period="day", since="2026-11-10",
                    until="2026-11-21").json()
        values = body["data"][0]["values"]
        assert values[-1]["end_time"] == "2026-11-20T08:00:00+0000"  # yesterday is the last day reported
        yesterday = values[-1]["value"]
        sim.set_now("2026-11-21T12:00:00Z")
        later = _get(sim, f"{PAGE}/insights", metric="page_media_view", period="day", since="2026-11-19",
                     until="2026-11-20").json()["data"][0]["values"][0]["value"]
        assert later >= yesterday  # the incomplete day grew on a later read
