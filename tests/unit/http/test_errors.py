from datetime import UTC, datetime

from ingestion.http import (
    ApiError,
    AuthError,
    InvalidRequestError,
    NotFoundError,
    PaginationError,
    QuotaExhaustedError,
    RateLimitedError,
    TransientError,
    VersionSunsetError,
)


def test_str_includes_status_code_and_retry_at():
    retry_at = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
    err = QuotaExhaustedError(
        "youtube", "daily quota spent", status=403, code="quotaExceeded", retry_at=retry_at
    )
    assert str(err) == (
        "youtube: daily quota spent (HTTP 403, code quotaExceeded); retry after 2025-03-01T08:00:00+00:00"
    )
    assert err.retryable is False


def test_str_without_details():
    assert str(ApiError("x", "boom")) == "x: boom"


def test_numeric_code_is_stored_as_string():
    assert ApiError("facebook", "expired", code=190).code == "190"


def test_retryable_defaults_per_class():
    assert TransientError("p", "m").retryable
    assert RateLimitedError("p", "m").retryable
    for cls in (QuotaExhaustedError, AuthError, InvalidRequestError, NotFoundError, VersionSunsetError):
        assert not cls("p", "m").retryable, cls
    assert TransientError("p", "m", retryable=False).retryable is False


def test_auth_error_names_account_and_setting():
    err = AuthError(
        "instagram", "token expired", status=401, account="brand_main", setting="TIDEMARK_IG_TOKEN"
    )
    text = str(err)
    assert "brand_main" in text and "TIDEMARK_IG_TOKEN" in text
    assert err.account == "brand_main" and err.setting == "TIDEMARK_IG_TOKEN"


def test_invalid_metric_is_reported():
    err = InvalidRequestError("facebook", "bad metric", status=400, invalid_metric="page_impressions_x")
    assert err.invalid_metric == "page_impressions_x"
    assert "page_impressions_x" in str(err)


def test_hierarchy_and_args():
    err = PaginationError("tiktok", "loop")
    assert isinstance(err, ApiError)
    assert err.args == ("tiktok: loop",)
