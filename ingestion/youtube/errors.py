"""Google API error envelopes → the shared error classes.

`{"error": {"code": 403, "message": ..., "errors": [{"reason": "quotaExceeded", ...}]}}`:
the reason, not the status, says whether waiting helps. quotaExceeded resets at midnight
Pacific time, so it is not retried within the run.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx

from ingestion.http import (
    ApiError,
    AuthError,
    InvalidRequestError,
    NotFoundError,
    QuotaExhaustedError,
    RateLimitedError,
    TransientError,
)
from ingestion.http.retry import parse_retry_after

PACIFIC = ZoneInfo("America/Los_Angeles")
QUOTA_REASONS = {"quotaExceeded", "dailyLimitExceeded"}
THROTTLE_REASONS = {"rateLimitExceeded", "userRateLimitExceeded"}


def next_pacific_midnight(now: datetime) -> datetime:
    local = now.astimezone(PACIFIC)
    midnight = (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight.astimezone(ZoneInfo("UTC"))


def classify_google(now: Callable[[], datetime]) -> Callable[[httpx.Response], ApiError | None]:
    def classify(response: httpx.Response) -> ApiError | None:
        status = response.status_code
        if status < 300:
            return None
        try:
            error = response.json().get("error", {})
        except ValueError:
            error = {}
        if isinstance(error, str):  # OAuth token endpoint: {"error": "invalid_grant", ...}
            body = response.json()
            return AuthError("youtube", f"{error}: {body.get('error_description', '')}", status=status, code=error)
        reasons = [item.get("reason", "") for item in error.get("errors", []) if isinstance(item, dict)]
        reason = reasons[0] if reasons else None
        message = error.get("message") or response.reason_phrase
        retry_at = parse_retry_after(response.headers.get("Retry-After"), now())
        if set(reasons) & QUOTA_REASONS:
            return QuotaExhaustedError("youtube", message, status=status, code=reason,
                                       retry_at=next_pacific_midnight(now()))
        if status == 429 or set(reasons) & THROTTLE_REASONS:
            return RateLimitedError("youtube", message, status=status, code=reason, retry_at=retry_at)
        if status == 401:
            return AuthError("youtube", message, status=status, code=reason)
        if status == 403:
            return AuthError("youtube", message, status=status, code=reason)
        if status == 404:
            return NotFoundError("youtube", message, status=status, code=reason)
        if status >= 500:
            return TransientError("youtube", message, status=status, code=reason, retry_at=retry_at)
        return InvalidRequestError("youtube", message, status=status, code=reason)

    return classify
