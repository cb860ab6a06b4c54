"""Parsing Graph specifics: day stamps, usage headers, cursor paging to the end, insights retries."""

from __future__ import annotations

import json
from datetime import date

import httpx

from core.redaction import Redactor
from ingestion.facebook.client import FacebookClient
from ingestion.facebook.errors import classify_meta
from ingestion.facebook.insights import _chunks, metric_date
from ingestion.facebook.metrics import MetricRegistry
from ingestion.facebook.usage import UsageGovernor
from ingestion.http import ApiClient, RateLimiter, utcnow
from ingestion.http.clock import VirtualClock
from ingestion.sync import Window


def test_end_time_is_the_next_pacific_midnight():
    assert metric_date("2026-11-20T08:00:00+0000") == date(2026, 11, 19)  # PST
    assert metric_date("2026-07-02T07:00:00+0000") == date(2026, 7, 1)  # PDT


def test_window_is_cut_into_calls_of_at_most_90_days():
    chunks = _chunks(Window(date(2026, 1, 1), date(2026, 7, 1)), 90)
    assert [c.days() for c in chunks] == [90, 90, 2]
    assert chunks[0].start == date(2026, 1, 1) and chunks[-1].end == date(2026, 7, 1)


def test_usage_headers_pause_in_proportion():
    clock = VirtualClock(lambda s: None)
    limiter = RateLimiter([(1000, 3600.0)], clock=clock.now, sleep=clock.sleep)
    governor = UsageGovernor(limiter, clock.now, slowdown_pct=75, max_pause_s=60)
    assert governor.pause_for({"x-app-usage": json.dumps({"call_count": 10})}) == 0
    assert governor.pause_for({"x-app-usage": json.dumps({"call_count": 90, "total_time": 5})}) == 36.0
    assert governor.pause_for({"x-app-usage": "not json"}) == 0
    buc = {"x-business-use-case-usage": json.dumps({"1": [{"call_count": 5, "estimated_time_to_regain_access": 3}]})}
    assert governor.pause_for(buc) == 180.0
    governor.observe({"x-app-usage": json.dumps({"call_count": 100})})
    assert limiter.acquire() > 59  # waited (virtually) before the next call


def _client(handler) -> FacebookClient:
    classify = classify_meta(utcnow, UsageGovernor(None, lambda: 0.0), max_wait_s=300, app_reset_minutes=60)
    api = ApiClient("facebook", "https://graph.test/v26.0", transport=httpx.MockTransport(handler),
                    classify=classify, sleep=lambda s: None)
    return FacebookClient(api, MetricRegistry("v26.0", date(2026, 11, 20)), Redactor())


def test_posts_are_paged_to_the_end_via_paging_next():
    def handler(request: httpx.Request) -> httpx.Response:
        after = request.url.params.get("after")
        n = int(after or 0)
        body = {"data": [{"id": f"1_{n + i}"} for i in range(2)], "paging": {"cursors": {"after": str(n + 2)}}}
        if n < 4:
            body["paging"]["next"] = f"https://graph.test/v26.0/1/posts?limit=2&after={n + 2}&access_token=SECRET"
        return httpx.Response(200, json=body)

    client = _client(handler)
    pages = list(client.edge("1", "posts", "id"))
    assert [item["id"] for page in pages for item in page.data["data"]] == [f"1_{i}" for i in range(6)]
    assert client.calls == 3
    assert all("access_token" not in page.request.params for page in pages)  # never stored


def test_insights_drop_a_refused_metric_and_retry_without_it():
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        metrics = request.url.params["metric"].split(",")
        seen.append(metrics)
        if "post_clicks" in metrics:
            return httpx.Response(400, json={"error": {"code": 100, "message": "(#100) post_clicks is invalid"}})
        return httpx.Response(200, json={"data": [{"name": m, "values": [{"value": 1}]} for m in metrics]})

    client = _client(handler)
    data = client.insights("1_2/insights", ["post_media_view", "post_clicks"], "image", period="lifetime")
    assert [d["name"] for d in data] == ["post_media_view"]
    assert seen == [["post_media_view", "post_clicks"], ["post_media_view"]]
    assert client.registry.is_rejected("post_clicks", "image")


def test_insights_ask_one_by_one_when_the_message_names_no_metric():
    def handler(request: httpx.Request) -> httpx.Response:
        metrics = request.url.params["metric"].split(",")
        if "bad_one" in metrics:
            return httpx.Response(400, json={"error": {"code": 100, "message": "(#100) Invalid parameter"}})
        return httpx.Response(200, json={"data": [{"name": m, "values": [{"value": 1}]} for m in metrics]})

    client = _client(handler)
    data = client.insights("1_2/insights", ["a", "bad_one", "b"], period="lifetime")
    assert sorted(d["name"] for d in data) == ["a", "b"]


def test_not_enough_viewers_is_no_data():
    client = _client(lambda request: httpx.Response(
        400, json={"error": {"code": 10, "message": "(#10) Not enough viewers for the media to show insights"}}))
    assert client.insights("1/insights", ["page_follows_city"], period="lifetime") is None
