"""Meta error envelopes → shared error classes, keyed on error.code and the usage headers."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from ingestion.facebook.errors import NotEnoughDataError, classify_meta, named_metric
from ingestion.facebook.usage import UsageGovernor
from ingestion.http import (
    AuthError,
    InvalidRequestError,
    QuotaExhaustedError,
    RateLimitedError,
    TransientError,
)

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)


def classify(code, message="boom", status=400, headers=None, url="https://graph.facebook.com/v26.0/1/insights"):
    body = {"error": {"message": message, "type": "OAuthException", "code": code, "fbtrace_id": "x"}}
    request = httpx.Request("GET", url)
    response = httpx.Response(status, json=body, headers=headers or {}, request=request)
    return classify_meta(lambda: NOW, UsageGovernor(None, lambda: 0.0), max_wait_s=300,
                         app_reset_minutes=60)(response)


def buc(minutes, pct=100):
    return {"X-Business-Use-Case-Usage": json.dumps({"1": [{"type": "pages", "call_count": pct,
                                                              "estimated_time_to_regain_access": minutes}]})}


@pytest.mark.parametrize("code", [4, 17, 32, 613, 80001])
def test_throttling_codes_are_retryable_whatever_the_status(code):
    error = classify(code, status=400)
    assert isinstance(error, RateLimitedError) and error.retryable and error.code == str(code)


def test_regain_time_within_the_cap_is_waited():
    error = classify(80001, headers=buc(2))
    assert isinstance(error, RateLimitedError) and error.retry_at == NOW + timedelta(minutes=2)


def test_long_regain_time_stops_the_account_with_retry_at():
    error = classify(80001, headers=buc(45))
    assert isinstance(error, QuotaExhaustedError) and not error.retryable
    assert error.retry_at == NOW + timedelta(minutes=45)


def test_app_limit_at_100_percent_waits_the_rolling_hour():
    error = classify(4, headers={"X-App-Usage": json.dumps({"call_count": 100, "total_time": 20})})
    assert isinstance(error, QuotaExhaustedError) and error.retry_at == NOW + timedelta(hours=1)


def test_expired_token_is_an_auth_error():
    error = classify(190, "Error validating access token: Session has expired")
    assert isinstance(error, AuthError) and not error.retryable


def test_not_enough_viewers_means_no_data_and_permission_is_auth():
    assert isinstance(classify(10, "(#10) Not enough viewers for the media to show insights"), NotEnoughDataError)
    assert isinstance(classify(10, "(#10) Application does not have permission for this action"), AuthError)


def test_invalid_metric_is_named_from_the_request():
    error = classify(100, "(#100) The value must be a valid insights metric: post_impressions is not valid",
                     url="https://graph.facebook.com/v26.0/1_2/insights?metric=post_media_view,post_impressions")
    assert isinstance(error, InvalidRequestError) and error.invalid_metric == "post_impressions"
    assert not error.retryable


def test_unknown_errors_and_5xx():
    assert isinstance(classify(1, "An unknown error has occurred.", status=500), TransientError)
    assert isinstance(classify(2, "Service temporarily unavailable"), TransientError)
    assert isinstance(classify(2500, "Unknown path components"), InvalidRequestError)
    plain = classify_meta(lambda: NOW, UsageGovernor(None, lambda: 0.0), max_wait_s=300, app_reset_minutes=60)(
        httpx.Response(502, text="Bad gateway", request=httpx.Request("GET", "https://x")))
    assert isinstance(plain, TransientError)


def test_named_metric_prefers_the_longest_match():
    assert named_metric("post_impressions_unique is bad", ["post_impressions", "post_impressions_unique"]) == \
        "post_impressions_unique"
    assert named_metric("(#100) invalid", ["post_clicks"]) is None
