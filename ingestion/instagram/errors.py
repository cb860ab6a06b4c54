"""Meta Graph error envelopes → the shared error classes.

`{"error": {"message", "type", "code", "error_subcode", "is_transient", "fbtrace_id"}}`, mostly
with HTTP 400 whatever the cause, so the code decides — never the status:
  4, 17, 32, 613, 80001, 80002 throttling (Instagram: 80002); how long is in the
      `X-Business-Use-Case-Usage` header (`estimated_time_to_regain_access`, minutes). A wait
      longer than we are willing to block becomes QuotaExhaustedError with `retry_at`: the
      account stops cleanly and the next scheduled run resumes.
  190 / 102 bad, expired or revoked token → AuthError naming the account and its env var.
  10 "Not enough viewers" → InvalidRequestError code 10 (no data, not a failure); other 10/200-299
      are missing permissions → AuthError.
  100 subcode 33 unknown object → NotFoundError; other 100 → InvalidRequestError, with the
      offending metric extracted so the connector can drop it and retry.
  1, 2 or `is_transient` → TransientError.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime, timedelta

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
from ingestion.http.client import json_object

PLATFORM = "instagram"
THROTTLE_CODES = {4, 17, 32, 613, 80001, 80002}
TOKEN_CODES = {190, 102}
NOT_ENOUGH_VIEWERS = "not enough viewers"
_METRIC_PATTERNS = (
    re.compile(r"support the (\w+) metric"),
    re.compile(r"(?:the )?(\w+) metric is no longer supported", re.I),
    re.compile(r"metric (\w+) is (?:not|no longer) (?:supported|valid)", re.I),
)
_METRIC_INDEX = re.compile(r"metric\[(\d+)\] must be one of")


def regain_minutes(headers: httpx.Headers) -> int:
    """Largest `estimated_time_to_regain_access` over the BUC header's entries (0 if absent)."""
    try:
        usage = json.loads(headers.get("x-business-use-case-usage") or "{}")
    except ValueError:
        return 0
    waits = [int(entry.get("estimated_time_to_regain_access") or 0)
             for entries in usage.values() if isinstance(entries, list)
             for entry in entries if isinstance(entry, dict)]
    return max(waits, default=0)


def invalid_metric(message: str, request: httpx.Request | None) -> str | None:
    """The metric a `(#100)` answer complains about, from its message (or its index in the request)."""
    for pattern in _METRIC_PATTERNS:
        found = pattern.search(message)
        if found:
            return found.group(1)
    found = _METRIC_INDEX.search(message)
    if found and request is not None:
        requested = (request.url.params.get("metric") or "").split(",")
        index = int(found.group(1))
        return requested[index] if index < len(requested) else None
    return None


def _error_body(response: httpx.Response) -> dict:
    error = json_object(response).get("error")
    return error if isinstance(error, dict) else {}


def classify_meta(now: Callable[[], datetime], *, account: str | None, setting: str | None,
                  max_wait_s: float) -> Callable[[httpx.Response], ApiError | None]:
    def classify(response: httpx.Response) -> ApiError | None:
        status = response.status_code
        if status < 300:
            return None
        error = _error_body(response)
        message = str(error.get("message") or response.reason_phrase or f"HTTP {status}")
        try:
            code = int(error.get("code"))
        except (TypeError, ValueError):
            code = None
        label = code if code is None or error.get("error_subcode") is None else f"{code}/{error['error_subcode']}"
        kw = {"status": status, "code": label}
        if code in THROTTLE_CODES or status == 429:
            return _throttled(message, response.headers, now(), max_wait_s, kw)
        if code in TOKEN_CODES or status == 401:
            return AuthError(PLATFORM, f"the access token was rejected ({message})", account=account,
                             setting=setting, **kw)
        if code == 10 and NOT_ENOUGH_VIEWERS in message.lower():
            return InvalidRequestError(PLATFORM, message, **kw)
        if code == 10 or (code is not None and 200 <= code < 300) or status == 403:
            return AuthError(PLATFORM, f"missing permission ({message}); grant instagram_basic and "
                                       "instagram_manage_insights", account=account, setting=setting, **kw)
        if code == 100 and error.get("error_subcode") == 33 or status == 404:
            return NotFoundError(PLATFORM, message, **kw)
        if code in (1, 2) or error.get("is_transient") or status >= 500:
            return TransientError(PLATFORM, message, **kw)
        metric = invalid_metric(message, response.request) if code == 100 else None
        return InvalidRequestError(PLATFORM, message, invalid_metric=metric, **kw)

    return classify


def _throttled(message: str, headers: httpx.Headers, now: datetime, max_wait_s: float, kw: dict) -> ApiError:
    minutes = regain_minutes(headers)
    retry_at = now + timedelta(minutes=minutes) if minutes else None
    if minutes * 60 > max_wait_s:
        return QuotaExhaustedError(PLATFORM, f"Instagram usage limit reached, access regained in about {minutes} "
                                             f"min ({message})", retry_at=retry_at, **kw)
    return RateLimitedError(PLATFORM, message, retry_at=retry_at, **kw)
