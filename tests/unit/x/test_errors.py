"""X answers → error classes: the problem `type` decides, not just the status."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from ingestion.http import (
    AuthError,
    InvalidRequestError,
    NotFoundError,
    QuotaExhaustedError,
    RateLimitedError,
    RetryPolicy,
    TransientError,
)
from ingestion.x.errors import classify_x, next_month

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def answer(status: int, body: dict | None = None, headers: dict | None = None) -> httpx.Response:
    return httpx.Response(status, json=body if body is not None else {}, headers=headers or {},
                          request=httpx.Request("GET", "https://api.x.com/2/users/1/tweets"))


def classify(response, on_exhausted=None):
    return classify_x(lambda: NOW, on_exhausted)(response)


def test_usage_cap_is_quota_exhausted_and_never_retried():
    error = classify(answer(429, {"title": "UsageCapExceeded", "detail": "Usage cap exceeded: Monthly product cap",
                                  "type": "https://api.x.com/2/problems/usage-capped"}))
    assert isinstance(error, QuotaExhaustedError) and error.code == "usage-capped"
    assert error.retry_at == datetime(2026, 12, 1, tzinfo=UTC)
    assert not RetryPolicy().decide(1, error, NOW, __import__("random").Random(0)).retry


def test_legacy_host_usage_cap_is_recognised_too():
    error = classify(answer(429, {"type": "https://api.twitter.com/2/problems/usage-capped", "title": "x"}))
    assert isinstance(error, QuotaExhaustedError)


def test_throttle_waits_until_the_rate_limit_reset():
    reset = int(NOW.timestamp()) + 42
    error = classify(answer(429, {"title": "Too Many Requests", "detail": "Too Many Requests", "type": "about:blank",
                                  "status": 429}, {"x-rate-limit-reset": str(reset), "x-rate-limit-remaining": "0"}))
    assert isinstance(error, RateLimitedError)
    assert error.retry_at == datetime.fromtimestamp(reset, UTC)
    decision = RetryPolicy(max_retry_after=300).decide(1, error, NOW, __import__("random").Random(0))
    assert decision.retry and decision.delay == 42


def test_throttle_reset_beyond_the_cap_stops_with_retry_at():
    reset = int(NOW.timestamp()) + 900
    error = classify(answer(429, {"title": "Too Many Requests", "type": "about:blank"}, {"x-rate-limit-reset": str(reset)}))
    decision = RetryPolicy(max_retry_after=300).decide(1, error, NOW, __import__("random").Random(0))
    assert not decision.retry and error.retry_at is not None


def test_spent_window_on_success_is_reported():
    heard = []
    reset = int(NOW.timestamp()) + 60
    assert classify(answer(200, {"data": []}, {"x-rate-limit-remaining": "0", "x-rate-limit-reset": str(reset)}),
                    heard.append) is None
    assert heard == [datetime.fromtimestamp(reset, UTC)]
    assert classify(answer(200, {}, {"x-rate-limit-remaining": "5", "x-rate-limit-reset": str(reset)}),
                    heard.append) is None
    assert len(heard) == 1


def test_invalid_field_names_the_field():
    body = {"errors": [{"parameters": {"tweet.fields": ["organic_metrics"]},
                        "message": "The `tweet.fields` query parameter value [organic_metrics] is not one of [...]"}],
            "title": "Invalid Request", "detail": "One or more parameters to your request was invalid.",
            "type": "https://api.x.com/2/problems/invalid-request"}
    error = classify(answer(400, body))
    assert isinstance(error, InvalidRequestError) and error.invalid_metric == "organic_metrics"
    assert not error.retryable


@pytest.mark.parametrize(("status", "body", "cls"), [
    (401, {"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"}, AuthError),
    (403, {"title": "Forbidden", "type": "https://api.x.com/2/problems/client-forbidden"}, AuthError),
    (400, {"error": "invalid_request", "error_description": "Value passed for the token was invalid."}, AuthError),
    (404, {"title": "Not Found Error", "type": "https://api.x.com/2/problems/resource-not-found"}, NotFoundError),
    (503, {"title": "Service Unavailable", "type": "about:blank"}, TransientError),
    (400, {"title": "Invalid Request", "errors": [{"parameters": {"max_results": ["500"]}}]}, InvalidRequestError),
])
def test_status_and_body_map_to_classes(status, body, cls):
    error = classify(answer(status, body))
    assert type(error) is cls
    if cls is InvalidRequestError:
        assert error.invalid_metric is None  # max_results is not a field: nothing to drop


def test_next_month_wraps_the_year():
    assert next_month(datetime(2026, 12, 31, 23, tzinfo=UTC)) == datetime(2027, 1, 1, tzinfo=UTC)
