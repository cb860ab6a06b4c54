"""LinkedIn error bodies → error classes: what is retried, what stops the account, what names a setting."""

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
    TransientError,
    VersionSunsetError,
)
from ingestion.linkedin.errors import classify_linkedin

NOW = datetime(2026, 11, 20, 15, 30, tzinfo=UTC)
classify = classify_linkedin(lambda: NOW, "202401")


def answer(status, body, headers=None):
    return classify(httpx.Response(status, json=body, headers=headers or {}))


def test_daily_limit_is_quota_until_next_utc_midnight_and_not_retryable():
    error = answer(429, {"message": "Resource level throttle APPLICATION DAY limit for calls to this resource "
                                    "is reached.", "status": 429})
    assert isinstance(error, QuotaExhaustedError) and not error.retryable
    assert error.retry_at == datetime(2026, 11, 21, tzinfo=UTC)


def test_member_day_limit_is_quota_too():
    error = answer(429, {"message": "Resource level throttle MEMBER DAY limit for calls to this resource is reached.",
                         "status": 429})
    assert isinstance(error, QuotaExhaustedError)


def test_other_429_is_a_short_throttle_with_retry_after():
    error = answer(429, {"status": 429, "message": "Too Many Requests"}, {"Retry-After": "7"})
    assert isinstance(error, RateLimitedError) and error.retryable
    assert (error.retry_at - NOW).total_seconds() == 7


def test_sunset_version_names_the_setting():
    error = answer(426, {"status": 426, "code": "NONEXISTENT_VERSION", "message": "Requested version 202401 is not active"})
    assert isinstance(error, VersionSunsetError) and not error.retryable
    assert "TIDEMARK_LINKEDIN_API_VERSION" in str(error) and "202401" in str(error)


@pytest.mark.parametrize("status, body", [
    (401, {"status": 401, "serviceErrorCode": 65601, "code": "EXPIRED_ACCESS_TOKEN",
           "message": "The token used in the request has expired"}),
    (403, {"status": 403, "serviceErrorCode": 100, "code": "ACCESS_DENIED", "message": "Not enough permissions"}),
])
def test_token_and_permission_problems_are_auth_errors(status, body):
    error = answer(status, body)
    assert isinstance(error, AuthError) and error.status == status and error.code == body["code"]


def test_oauth_refresh_refusal_is_an_auth_error():
    error = answer(400, {"error": "invalid_request", "error_description": "refresh token is invalid, expired or revoked"})
    assert isinstance(error, AuthError) and error.code == "invalid_request"


def test_rejected_metric_type_is_named():
    error = answer(400, {"status": 400, "code": "ILLEGAL_ARGUMENT",
                         "message": "Invalid query parameter: type=TIME_WATCHED_FOR_VIDEO_VIEWS is not a supported"})
    assert isinstance(error, InvalidRequestError) and error.invalid_metric == "TIME_WATCHED_FOR_VIDEO_VIEWS"


def test_server_errors_are_transient_and_missing_objects_not_found():
    assert isinstance(answer(500, {"status": 500, "message": "Internal Server Error"}), TransientError)
    assert isinstance(answer(404, {"status": 404, "message": "Not Found"}), NotFoundError)
    assert answer(200, {"elements": []}) is None


def test_non_json_error_body_still_classifies():
    error = classify(httpx.Response(502, text="<html>bad gateway</html>"))
    assert isinstance(error, TransientError)
