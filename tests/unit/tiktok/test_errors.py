"""TikTok answers are classified by error code (Display) or envelope code (Business), not status alone."""

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from ingestion.http import AuthError, InvalidRequestError, RateLimitedError, TransientError
from ingestion.tiktok.errors import classify_business, classify_display, invalid_names

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
SETTINGS = {"access_token": "TT_ACCESS", "refresh_token": "TT_REFRESH", "business_access_token": "TT_BUSINESS"}
display = classify_display(lambda: NOW, "open-1", SETTINGS)
business = classify_business("open-1", "TT_BUSINESS")


def display_error(status, code, message="m", headers=None):
    body = {"data": {}, "error": {"code": code, "message": message, "log_id": "2026"}}
    return httpx.Response(status, json=body, headers=headers or {})


def business_answer(code, message="m"):
    return httpx.Response(200, json={"code": code, "message": message, "request_id": "r", "data": {}})


@pytest.mark.parametrize(("response", "cls", "retryable"), [
    (display_error(429, "rate_limit_exceeded"), RateLimitedError, True),
    (display_error(401, "access_token_invalid"), AuthError, False),
    (display_error(401, "scope_not_authorized"), AuthError, False),
    (display_error(400, "invalid_params"), InvalidRequestError, False),
    (display_error(500, "internal_error"), TransientError, True),
    (display_error(200, "internal_error"), TransientError, True),  # a 200 with a non-ok code is still an error
    (httpx.Response(400, json={"error": "invalid_grant", "error_description": "expired"}), AuthError, False),
])
def test_display_classification(response, cls, retryable):
    error = display(response)
    assert type(error) is cls and error.retryable is retryable


def test_display_success_is_not_an_error():
    assert display(httpx.Response(200, json={"data": {"videos": []}, "error": {"code": "ok", "message": ""}})) is None


def test_auth_errors_name_account_and_the_variable_to_fix():
    assert display(display_error(401, "access_token_invalid")).setting == "TT_ACCESS"
    refused = display(httpx.Response(400, json={"error": "invalid_grant", "error_description": "revoked"}))
    assert refused.setting == "TT_REFRESH" and refused.account == "open-1"
    assert "user.info.stats" in str(display(display_error(401, "scope_not_authorized")))


def test_retry_after_of_a_429_is_read():
    error = display(display_error(429, "rate_limit_exceeded", headers={"Retry-After": "7"}))
    assert error.retry_at == NOW + timedelta(seconds=7)


@pytest.mark.parametrize(("code", "cls", "retryable"), [
    (40100, RateLimitedError, True),
    (40105, AuthError, False),
    (40002, InvalidRequestError, False),
    (50002, TransientError, True),
])
def test_business_classification(code, cls, retryable):
    error = business(business_answer(code))
    assert type(error) is cls and error.retryable is retryable


def test_business_success_and_auth_setting():
    assert business(business_answer(0)) is None
    assert business(business_answer(40105)).setting == "TT_BUSINESS"


@pytest.mark.parametrize(("message", "names"), [
    ("Invalid field(s): share_count,favorites", ["share_count", "favorites"]),
    ("fields: invalid metric(s): reach", ["invalid", "reach"]),  # callers keep only requested names
    ("Invalid fields: view_count", ["view_count"]),
    ("Something went wrong", []),
])
def test_invalid_names(message, names):
    assert invalid_names(message) == names


def test_invalid_metric_is_carried_on_the_error():
    error = display(display_error(400, "invalid_params", "Invalid field(s): share_count"))
    assert error.invalid_metric == "share_count"
