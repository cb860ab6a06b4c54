"""Meta error envelopes → shared error classes: the code decides, never the HTTP status."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from ingestion.http import (
    AuthError,
    InvalidRequestError,
    NotFoundError,
    QuotaExhaustedError,
    RateLimitedError,
    TransientError,
)
from ingestion.instagram.errors import classify_meta, invalid_metric, regain_minutes

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)


def response(code: int, message: str, status: int = 400, subcode: int | None = None, regain: int | None = None,
             url: str = "https://graph.facebook.com/v26.0/1/insights?metric=views,reach,plays") -> httpx.Response:
    error = {"message": message, "type": "OAuthException", "code": code, "fbtrace_id": "x"}
    if subcode is not None:
        error["error_subcode"] = subcode
    headers = {}
    if regain is not None:
        headers["X-Business-Use-Case-Usage"] = json.dumps(
            {"1784": [{"type": "instagram", "call_count": 100, "estimated_time_to_regain_access": regain}]})
    return httpx.Response(status, json={"error": error}, headers=headers, request=httpx.Request("GET", url))


@pytest.fixture
def classify():
    return classify_meta(lambda: NOW, account="17841400000000101", setting="IG_TOKEN", max_wait_s=300)


def test_instagram_throttling_80002_waits_for_the_buc_regain_time(classify):
    error = classify(response(80002, "(#80002) There have been too many calls", regain=2))
    assert isinstance(error, RateLimitedError) and error.retryable
    assert error.retry_at == NOW + timedelta(minutes=2)


def test_throttling_longer_than_the_wait_cap_stops_the_account_with_retry_at(classify):
    error = classify(response(80002, "(#80002) There have been too many calls", regain=60))
    assert isinstance(error, QuotaExhaustedError) and not error.retryable
    assert error.retry_at == NOW + timedelta(minutes=60)


@pytest.mark.parametrize("code", [4, 17, 32, 613, 80001])
def test_every_meta_throttling_code_is_rate_limiting_whatever_the_status(classify, code):
    assert isinstance(classify(response(code, "slow down", status=403)), RateLimitedError)


@pytest.mark.parametrize("subcode", [463, 460, None])
def test_token_errors_name_the_account_and_the_env_var(classify, subcode):
    error = classify(response(190, "Error validating access token", subcode=subcode))
    assert isinstance(error, AuthError) and not error.retryable
    assert error.account == "17841400000000101" and error.setting == "IG_TOKEN"
    assert "IG_TOKEN" in str(error)


def test_not_enough_viewers_is_no_data_not_a_permission_problem(classify):
    error = classify(response(10, "(#10) Not enough viewers for the media to show insights"))
    assert type(error) is InvalidRequestError and error.code == "10"
    assert isinstance(classify(response(10, "(#10) Application does not have permission")), AuthError)


def test_unsupported_and_retired_metrics_are_named(classify):
    unsupported = classify(response(100, "(#100) The Media Insights API does not support the profile_visits metric "
                                         "for this media product type."))
    assert isinstance(unsupported, InvalidRequestError) and unsupported.invalid_metric == "profile_visits"
    retired = classify(response(100, "(#100) Starting from v22.0, impressions metric is no longer supported"))
    assert retired.invalid_metric == "impressions"
    by_index = classify(response(100, "(#100) metric[2] must be one of the following values: views, reach"))
    assert by_index.invalid_metric == "plays"  # third metric of the request


def test_unknown_object_transient_and_other_errors(classify):
    assert isinstance(classify(response(100, "Unsupported get request.", subcode=33)), NotFoundError)
    assert isinstance(classify(response(2, "An unexpected error has occurred.", status=500)), TransientError)
    assert isinstance(classify(response(1, "An unknown error occurred")), TransientError)
    assert isinstance(classify(httpx.Response(502, text="<html>bad gateway</html>",
                                              request=httpx.Request("GET", "https://x"))), TransientError)
    assert classify(httpx.Response(200, json={"data": []}, request=httpx.Request("GET", "https://x"))) is None


def test_regain_minutes_tolerates_missing_or_broken_headers():
    assert regain_minutes(httpx.Headers({})) == 0
    assert regain_minutes(httpx.Headers({"x-business-use-case-usage": "not json"})) == 0
    assert regain_minutes(httpx.Headers({"x-business-use-case-usage": json.dumps(
        {"a": [{"estimated_time_to_regain_access": 3}], "b": [{"estimated_time_to_regain_access": 7}]})})) == 7
    assert invalid_metric("(#100) Param limit must be a number", None) is None
