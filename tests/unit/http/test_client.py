import logging
import random
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from core.redaction import Redactor
from ingestion.http import (
    ApiClient,
    AuthError,
    InMemoryQuotaStore,
    InvalidRequestError,
    NextUrlPaginator,
    NotFoundError,
    PageTokenPaginator,
    QuotaBudget,
    QuotaExhaustedError,
    RateLimitedError,
    RateLimiter,
    RequestSpec,
    RetryPolicy,
    TransientError,
    VersionSunsetError,
    default_classify,
)

TOKEN = "EAAB-super-secret-token"
EPOCH = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


class FakeTime:
    """Clock, sleep and wall time that move together; sleep only records and advances."""

    def __init__(self) -> None:
        self.t = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.t += seconds

    def now(self) -> datetime:
        return EPOCH + timedelta(seconds=self.t)


class Script:
    """MockTransport handler answering with queued responses (or raising queued exceptions)."""

    def __init__(self, *answers) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


def make_client(script: Script, fake: FakeTime, **kwargs) -> ApiClient:
    kwargs.setdefault("retry", RetryPolicy(max_attempts=4, base_delay=1.0, jitter=0.0))
    return ApiClient(
        "testplat",
        "https://api.example.com/v1",
        transport=httpx.MockTransport(script),
        clock=fake.clock,
        sleep=fake.sleep,
        now=fake.now,
        rng=random.Random(0),
        redactor=kwargs.pop("redactor", Redactor()),
        **kwargs,
    )


def test_success_returns_response_and_adds_auth_each_attempt():
    script = Script(httpx.Response(200, json={"ok": True}))
    fake = FakeTime()

    def auth(headers, params):
        params["access_token"] = TOKEN

    client = make_client(script, fake, auth=auth)
    assert client.get_json("/me", params={"fields": "id"}) == {"ok": True}
    assert script.requests[0].url.params["access_token"] == TOKEN
    assert script.requests[0].url.params["fields"] == "id"
    assert fake.sleeps == []


def test_default_timeout_is_set():
    client = make_client(Script(), FakeTime())
    timeout = client._http.timeout
    assert (timeout.connect, timeout.read) == (5.0, 30.0)


def test_429_with_retry_after_then_success(caplog):
    script = Script(
        httpx.Response(429, headers={"Retry-After": "7"}, json={"error": {"message": "slow"}}),
        httpx.Response(429, json={"error": {"message": "slow"}}),
        httpx.Response(200, json={"items": []}),
    )
    fake = FakeTime()
    limiter = RateLimiter([(100, 1.0)], clock=fake.clock, sleep=fake.sleep)
    client = make_client(script, fake, limiter=limiter)
    with caplog.at_level(logging.WARNING, logger="ingestion.http"):
        assert client.get_json("/items") == {"items": []}
    # first wait from Retry-After, second from backoff for attempt 2 (1 * 2**1)
    assert fake.sleeps == [pytest.approx(7.0), pytest.approx(2.0)]
    assert len(script.requests) == 3
    assert sum("retrying in" in r.getMessage() for r in caplog.records) == 2


def test_rate_limited_penalizes_limiter():
    script = Script(httpx.Response(429, headers={"Retry-After": "5"}), httpx.Response(200, json={}))
    fake = FakeTime()
    no_sleep_calls: list[float] = []
    limiter = RateLimiter([(100, 1.0)], clock=fake.clock, sleep=no_sleep_calls.append)
    client = make_client(script, fake, limiter=limiter)
    client.get_json("/x")
    # the client slept 5 s itself, so the limiter penalty had expired by the retry
    assert fake.sleeps == [pytest.approx(5.0)]
    assert no_sleep_calls == []
    assert limiter._blocked_until == pytest.approx(5.0)


def test_retry_after_beyond_cap_raises_without_sleeping():
    script = Script(httpx.Response(429, headers={"Retry-After": "3600"}))
    fake = FakeTime()
    client = make_client(script, fake, retry=RetryPolicy(max_retry_after=300))
    with pytest.raises(RateLimitedError) as info:
        client.request("GET", "/x")
    assert info.value.retry_at == EPOCH + timedelta(seconds=3600)
    assert fake.sleeps == []


def test_500s_exhaust_attempts():
    script = Script(*[httpx.Response(503, text="upstream down") for _ in range(4)])
    fake = FakeTime()
    client = make_client(script, fake)
    with pytest.raises(TransientError) as info:
        client.request("GET", "/x")
    assert info.value.status == 503
    assert len(script.requests) == 4
    assert fake.sleeps == [1.0, 2.0, 4.0]


def test_transport_error_is_retried_and_redacted():
    script = Script(
        httpx.ConnectTimeout(f"timed out on https://api.example.com/v1/x?access_token={TOKEN}"),
        httpx.Response(200, json={"ok": 1}),
    )
    fake = FakeTime()
    client = make_client(script, fake)
    assert client.get_json("/x") == {"ok": 1}
    assert fake.sleeps == [1.0]


def test_transport_error_message_is_redacted_when_raised():
    script = Script(*[httpx.ReadError(f"reset while reading ?access_token={TOKEN}") for _ in range(4)])

    def auth(headers, params):
        params["access_token"] = TOKEN

    client = make_client(script, FakeTime(), auth=auth)
    with pytest.raises(TransientError) as info:
        client.request("GET", "/x")
    assert TOKEN not in str(info.value)
    assert "ReadError" in str(info.value)


def test_unsupported_protocol_is_not_retried():
    script = Script(httpx.UnsupportedProtocol("Request URL has an unsupported protocol 'ftp://'."))
    fake = FakeTime()
    with pytest.raises(InvalidRequestError):
        make_client(script, fake).request("GET", "/x")
    assert fake.sleeps == [] and len(script.requests) == 1


def test_auth_error_refreshes_token_once():
    script = Script(
        httpx.Response(401, json={"error": {"message": "expired", "code": 190}}),
        httpx.Response(200, json={"ok": True}),
    )
    fake = FakeTime()
    tokens = ["old-token", "new-token"]
    refreshes: list[AuthError] = []

    def auth(headers, params):
        headers["Authorization"] = f"Bearer {tokens[0]}"

    def on_auth_error(error):
        refreshes.append(error)
        tokens.pop(0)
        return True

    client = make_client(script, fake, auth=auth, on_auth_error=on_auth_error)
    assert client.get_json("/me") == {"ok": True}
    assert [r.headers["Authorization"] for r in script.requests] == ["Bearer old-token", "Bearer new-token"]
    assert len(refreshes) == 1 and refreshes[0].code == "190"
    assert fake.sleeps == []


def test_auth_error_after_refresh_is_raised():
    script = Script(httpx.Response(401, text="no"), httpx.Response(401, text="still no"))
    calls = []
    client = make_client(script, FakeTime(), on_auth_error=lambda e: calls.append(e) or True)
    with pytest.raises(AuthError):
        client.request("GET", "/me")
    assert len(calls) == 1
    assert len(script.requests) == 2


def test_error_messages_and_logs_are_redacted(caplog):
    body = {"error": {"message": f"bad token {TOKEN} in access_token={TOKEN}"}}
    script = Script(httpx.Response(500, json=body), httpx.Response(400, json=body))
    redactor = Redactor()
    redactor.add_secret(TOKEN)

    def auth(headers, params):
        params["access_token"] = TOKEN

    client = make_client(script, FakeTime(), auth=auth, redactor=redactor)
    with caplog.at_level(logging.DEBUG, logger="ingestion.http"), pytest.raises(InvalidRequestError) as info:
        client.request("GET", "/x")
    assert TOKEN not in str(info.value) and TOKEN not in info.value.message
    assert caplog.records, "expected retry / give-up log lines"
    for record in caplog.records:
        assert TOKEN not in record.getMessage()
    assert any("access_token=***" in r.getMessage() for r in caplog.records)


def test_quota_budget_is_spent_per_attempt_and_refuses_before_sending():
    script = Script(httpx.Response(500), httpx.Response(200, json={}))
    fake = FakeTime()
    budget = QuotaBudget(150, store=InMemoryQuotaStore(), key="yt", now=fake.now)
    client = make_client(script, fake, budget=budget)
    client.request("GET", "/videos", cost=50)
    assert budget.remaining() == 50  # both attempts billed
    with pytest.raises(QuotaExhaustedError):
        client.request("GET", "/search", cost=100)
    assert len(script.requests) == 2  # the refused call never went out


def test_query_string_in_path_is_merged_with_params():
    script = Script(httpx.Response(200, json={}))
    client = make_client(script, FakeTime())
    client.request("GET", "/x?a=1&b=2", params={"b": "3"})
    assert dict(script.requests[0].url.params) == {"a": "1", "b": "3"}


def test_empty_path_posts_to_the_base_url_exactly():
    # Regression: token endpoints (Google `/token`, X, LinkedIn) were called with a trailing slash.
    script = Script(httpx.Response(200, json={}))
    client = make_client(script, FakeTime())
    client.request("POST", "", data={"grant_type": "refresh_token"})
    assert str(script.requests[0].url) == "https://api.example.com/v1"


def test_non_json_body_raises_invalid_request_with_redacted_snippet():
    script = Script(httpx.Response(200, text=f"<html>login access_token={TOKEN}</html>"))
    client = make_client(script, FakeTime())
    with pytest.raises(InvalidRequestError) as info:
        client.get_json("/x")
    assert "expected JSON" in str(info.value) and TOKEN not in str(info.value)


def test_non_json_5xx_body_is_transient():
    # a classifier that lets everything through, so get_json sees the HTML body of a 502
    script = Script(httpx.Response(502, text="<html>bad gateway</html>"))
    client = make_client(script, FakeTime(), classify=lambda response: None)
    with pytest.raises(TransientError, match="bad gateway"):
        client.get_json("/x")


def test_empty_body_is_none():
    client = make_client(Script(httpx.Response(204)), FakeTime())
    assert client.request_json("DELETE", "/x") is None


def test_paginate_walks_pages_and_keeps_auth_out_of_specs():
    base = "https://graph.example.com/v21.0/1/posts"
    script = Script(
        httpx.Response(200, json={"data": [1], "paging": {"next": f"{base}?access_token={TOKEN}&after=A"}}),
        httpx.Response(200, json={"data": [2], "paging": {"next": f"{base}?access_token={TOKEN}&after=B"}}),
        httpx.Response(200, json={"data": [3], "paging": {}}),
    )

    def auth(headers, params):
        params["access_token"] = TOKEN

    client = make_client(script, FakeTime(), auth=auth)
    pages = list(client.iter_pages(NextUrlPaginator(), RequestSpec("GET", "1/posts", {"limit": 1})))
    assert [p.data["data"] for p in pages] == [[1], [2], [3]]
    assert [r.url.params.get("after") for r in script.requests] == [None, "A", "B"]
    assert all(r.url.params["access_token"] == TOKEN for r in script.requests)
    assert all("access_token" not in p.request.params for p in pages)


def test_paginate_yields_bodies():
    script = Script(
        httpx.Response(200, json={"items": [1], "nextPageToken": "t2"}),
        httpx.Response(200, json={"items": [2]}),
    )
    client = make_client(script, FakeTime())
    bodies = list(client.paginate(PageTokenPaginator(), RequestSpec("GET", "/videos", {"part": "id"})))
    assert [b["items"] for b in bodies] == [[1], [2]]
    assert script.requests[1].url.params["pageToken"] == "t2"


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (401, AuthError),
        (403, AuthError),
        (404, NotFoundError),
        (426, VersionSunsetError),
        (408, RateLimitedError),
        (425, RateLimitedError),
        (429, RateLimitedError),
        (500, TransientError),
        (503, TransientError),
        (400, InvalidRequestError),
        (422, InvalidRequestError),
    ],
)
def test_default_classify(status, expected):
    error = default_classify("p", now=lambda: EPOCH)(httpx.Response(status, json={"message": "why"}))
    assert type(error) is expected
    assert error.status == status
    assert "why" in error.message


def test_default_classify_success_and_retry_after():
    classify = default_classify("p", now=lambda: EPOCH)
    assert classify(httpx.Response(200, json={})) is None
    error = classify(httpx.Response(429, headers={"Retry-After": "30"}))
    assert error.retry_at == EPOCH + timedelta(seconds=30)
    assert error.retryable


def test_default_classify_reads_graph_error_code():
    body = {"error": {"message": "Invalid OAuth access token.", "type": "OAuthException", "code": 190}}
    error = default_classify("facebook")(httpx.Response(400, json=body))
    assert error.code == "190"
    assert "Invalid OAuth access token." in error.message
