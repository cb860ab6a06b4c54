"""Google error envelopes are classified by reason, not only by status."""

from datetime import UTC, datetime

import httpx
import pytest

from ingestion.http import (
    AuthError,
    InvalidRequestError,
    QuotaExhaustedError,
    RateLimitedError,
    TransientError,
)
from ingestion.youtube.errors import classify_google

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def google_error(status: int, reason: str, headers=None) -> httpx.Response:
    body = {"error": {"code": status, "message": f"{reason} happened", "errors": [{"reason": reason}]}}
    return httpx.Response(status, json=body, headers=headers or {})


@pytest.mark.parametrize(
    ("response", "cls", "retryable"),
    [
        (google_error(403, "quotaExceeded"), QuotaExhaustedError, False),
        (google_error(403, "rateLimitExceeded"), RateLimitedError, True),
        (google_error(429, "rateLimitExceeded", {"Retry-After": "7"}), RateLimitedError, True),
        (google_error(401, "authError"), AuthError, False),
        (google_error(403, "forbidden"), AuthError, False),
        (google_error(400, "badRequest"), InvalidRequestError, False),
        (google_error(500, "backendError"), TransientError, True),
        (httpx.Response(400, json={"error": "invalid_grant", "error_description": "revoked"}), AuthError, False),
    ],
)
def test_classification(response, cls, retryable):
    error = classify_google(lambda: NOW)(response)
    assert type(error) is cls
    assert error.retryable is retryable


def test_quota_resets_at_midnight_pacific():
    error = classify_google(lambda: NOW)(google_error(403, "quotaExceeded"))
    assert error.retry_at == datetime(2026, 11, 21, 8, 0, tzinfo=UTC)  # 00:00 PST


def test_retry_after_is_read():
    error = classify_google(lambda: NOW)(google_error(429, "rateLimitExceeded", {"Retry-After": "7"}))
    assert (error.retry_at - NOW).total_seconds() == 7


def test_success_is_none():
    assert classify_google(lambda: NOW)(httpx.Response(200, json={})) is None
