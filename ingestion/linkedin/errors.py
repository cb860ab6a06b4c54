"""LinkedIn error bodies → the shared error classes.

LinkedIn answers `{"status", "serviceErrorCode", "code", "message"}`. The status alone is not
enough: a 429 whose message names a `DAY limit` ("Resource level throttle APPLICATION DAY limit
… is reached") is the daily quota — no reset header, not retryable before midnight UTC — while
other 429s are short throttles worth a backoff. 426 means the pinned LinkedIn-Version is sunset.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx

from ingestion.http import (
    ApiError,
    AuthError,
    InvalidRequestError,
    NotFoundError,
    QuotaExhaustedError,
    RateLimitedError,
    TransientError,
    VersionSunsetError,
)
from ingestion.http.client import json_object as _body
from ingestion.http.retry import parse_retry_after

PLATFORM = "linkedin"
VERSION_SETTING = "TIDEMARK_LINKEDIN_API_VERSION"
DAY_LIMIT = re.compile(r"\bDAY limit\b", re.IGNORECASE)
INVALID_METRIC = re.compile(r"\btype=([A-Z_]+)")


def next_utc_midnight(now: datetime) -> datetime:
    moment = now.astimezone(UTC) if now.tzinfo else now.replace(tzinfo=UTC)
    return (moment + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)




def classify_linkedin(now: Callable[[], datetime], version: str) -> Callable[[httpx.Response], ApiError | None]:
    def classify(response: httpx.Response) -> ApiError | None:
        status = response.status_code
        if status < 300:
            return None
        body = _body(response)
        if isinstance(body.get("error"), str):  # OAuth endpoint: {"error": "invalid_request", ...}
            return AuthError(PLATFORM, f"{body['error']}: {body.get('error_description', '')}", status=status,
                             code=body["error"])
        message = str(body.get("message") or response.reason_phrase or f"HTTP {status}")
        code = body.get("code") or body.get("serviceErrorCode")
        return _by_status(status, message, code, response, now, version)

    return classify


def _by_status(status: int, message: str, code, response: httpx.Response, now: Callable[[], datetime],
               version: str) -> ApiError:
    if status == 429 and DAY_LIMIT.search(message):
        return QuotaExhaustedError(PLATFORM, f"daily API limit reached: {message}", status=status, code=code,
                                   retry_at=next_utc_midnight(now()))
    if status == 429:
        return RateLimitedError(PLATFORM, message, status=status, code=code,
                                retry_at=parse_retry_after(response.headers.get("Retry-After"), now()))
    if status == 426:
        return VersionSunsetError(
            PLATFORM, f"LinkedIn-Version {version} is no longer served ({message}); set {VERSION_SETTING} "
                      "to a version of the last 12 months (YYYYMM)", status=status, code=code)
    if status in (401, 403):
        return AuthError(PLATFORM, message, status=status, code=code)
    if status == 404:
        return NotFoundError(PLATFORM, message, status=status, code=code)
    if status >= 500:
        return TransientError(PLATFORM, message, status=status, code=code,
                              retry_at=parse_retry_after(response.headers.get("Retry-After"), now()))
    metric = INVALID_METRIC.search(message)
    return InvalidRequestError(PLATFORM, message, status=status, code=code,
                               invalid_metric=metric.group(1) if metric else None)
