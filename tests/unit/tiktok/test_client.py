"""Client specifics against a fake transport: TikTok's body cursor with short pages, the Business
offset cursor, the invalid-field fallback, and secrets kept out of stored request params."""

from __future__ import annotations

import json
import logging
from datetime import UTC, date, datetime

import httpx
import pytest

from core.redaction import Redactor
from ingestion.http import InvalidRequestError, RetryPolicy
from ingestion.tiktok.business_sync import chunks
from ingestion.tiktok.client import TikTokLimits, build_client

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
SETTINGS = {name: f"TT_{name.upper()}" for name in
            ("access_token", "refresh_token", "client_key", "client_secret", "business_access_token")}


def make_client(handler, credentials=None):
    limits = TikTokLimits(requests_per_minute=600, business_requests_per_minute=600, max_count=20, timeout_s=5,
                          retry=RetryPolicy(max_attempts=3))
    client = build_client(account_id="open-1", credentials=credentials or {"access_token": "act.secret-1",
                          "business_access_token": "bat.secret-2"}, settings=SETTINGS,
                          urls={"open": "http://tt.test", "business": "http://biz.test/open_api/v1.3"},
                          limits=limits, business_id="open-1", redactor=Redactor(), now=lambda: NOW,
                          logger=logging.getLogger("test"), sleep=lambda seconds: None)
    transport = httpx.MockTransport(handler)
    for api in client.apis.values():
        api._http = httpx.Client(base_url=api._http.base_url, transport=transport)
    return client


def ok(data):
    return httpx.Response(200, json={"data": data, "error": {"code": "ok", "message": "", "log_id": "x"}})


def test_video_list_follows_the_ms_cursor_through_short_pages():
    seen = []

    def handler(request):
        body = json.loads(request.content)
        seen.append(body.get("cursor"))
        pages = {None: ([3, 2], 2000, True), 2000: ([1], 1000, True), 1000: ([], 1000, False)}  # short pages
        ids, cursor, more = pages[body.get("cursor")]
        return ok({"videos": [{"id": str(i), "create_time": i} for i in ids], "cursor": cursor, "has_more": more})

    client = make_client(handler)
    pages = list(client.video_pages())
    assert seen == [None, 2000, 1000]  # continues while has_more, even after a 1-video page
    assert [len(p.data["videos"]) for p in pages] == [2, 1, 0]
    assert pages[0].params["max_count"] == 20 and "fields" in pages[0].params


def test_invalid_field_is_dropped_and_the_call_repeated():
    fields_sent = []

    def handler(request):
        fields = request.url.params["fields"].split(",")
        fields_sent.append(fields)
        if "share_count" in fields:
            return httpx.Response(400, json={"data": {}, "error": {
                "code": "invalid_params", "message": "Invalid field(s): share_count", "log_id": "x"}})
        return ok({"videos": [], "cursor": 0, "has_more": False})

    client = make_client(handler)
    warnings: list[str] = []
    client.registry.attach(warnings.append)
    client.query_videos(["1"])
    client.query_videos(["2"])
    assert len(fields_sent) == 3  # one rejected call, then never requested again
    assert "share_count" not in fields_sent[-1] and any("share_count" in w for w in warnings)


def test_an_invalid_request_without_a_named_field_is_raised():
    client = make_client(lambda request: httpx.Response(400, json={"data": {}, "error": {
        "code": "invalid_params", "message": "max_count must be between 1 and 20", "log_id": "x"}}))
    with pytest.raises(InvalidRequestError):
        client.query_videos(["1"])


def test_business_pages_and_stored_params_hold_no_secret():
    headers = []

    def handler(request):
        headers.append(request.headers.get("Access-Token"))
        cursor = int(request.url.params["cursor"])
        more = cursor < 40
        body = {"videos": [{"item_id": str(cursor)}], "cursor": cursor + 20, "has_more": more}
        return httpx.Response(200, json={"code": 0, "message": "OK", "request_id": "r", "data": body})

    client = make_client(handler)
    pages = list(client.business_video_pages())
    assert [p.params["cursor"] for p in pages] == [0, 20, 40]
    assert headers == ["bat.secret-2"] * 3
    assert "secret" not in json.dumps([p.params for p in pages])


def test_business_window_is_chunked():
    assert chunks(date(2026, 9, 22), date(2026, 11, 20), 30) == [
        (date(2026, 9, 22), date(2026, 10, 21)), (date(2026, 10, 22), date(2026, 11, 20))]
    assert chunks(date(2026, 11, 2), date(2026, 11, 1), 30) == []
