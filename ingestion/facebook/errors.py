"""Meta Graph error envelopes → the shared error classes.

`{"error": {"message", "type", "code", "error_subcode", "is_transient", "fbtrace_id"}}`, usually
HTTP 400 whatever happened: the code, not the status, decides. Throttling (4, 17, 32, 613, 80001…)
waits as long as the usage headers say; a wait longer than the retry cap stops the account with
`retry_at`. 190 is a dead token, 100 a bad parameter (often a retired metric, named in the
message), 10 either a missing permission or "not enough viewers" — the latter means no data.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import httpx

from ingestion.facebook.usage import UsageGovernor
from ingestion.http import (
    ApiError,
    AuthError,
    InvalidRequestError,
    NotFoundError,
    QuotaExhaustedError,
    RateLimitedError,
    TransientError,
    default_classify,
)

PLATFORM = "facebook"
THROTTLE_CODES = frozenset({4, 17, 32, 613, 80001, 80002, 80003, 80004, 80005, 80006, 80008, 80014})
APP_LEVEL_CODES = frozenset({4, 17})  # app / user call budgets: a rolling one-hour window
AUTH_CODES = frozenset({102, 190, 463, 467})
TRANSIENT_CODES = frozenset({1, 2})
NO_DATA_HINTS = ("not enough viewers", "not enough data", "fewer than 100")


class NotEnoughDataError(NotFoundError):
    """(#10) "Not enough viewers": the platform withholds small numbers — no data, not a failure."""


def named_metric(message: str, candidates: Sequence[str]) -> str | None:
    """The requested metric an invalid-metric message names (longest match wins)."""
    for name in sorted(candidates, key=len, reverse=True):
        if name and re.search(rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])", message):
            return name
    return None


def _requested_metrics(response: httpx.Response) -> list[str]:
    try:
        query = parse_qs(urlsplit(str(response.request.url)).query)
    except RuntimeError:  # a response built without a request (unit tests)
        return []
    return [m for value in query.get("metric", []) for m in value.split(",") if m]


def classify_meta(now: Callable[[], datetime], usage: UsageGovernor, *, max_wait_s: float,
                  app_reset_minutes: int) -> Callable[[httpx.Response], ApiError | None]:
    fallback = default_classify(PLATFORM, now=now)

    def classify(response: httpx.Response) -> ApiError | None:
        usage.observe(response.headers)
        if response.status_code < 300:
            return None
        try:
            error = response.json().get("error")
        except (ValueError, AttributeError):
            error = None
        if not isinstance(error, dict) or "code" not in error:
            return fallback(response)
        return _from_envelope(response, error)

    def _throttled(response: httpx.Response, code: int, message: str) -> ApiError:
        regain = usage.regain_seconds(response.headers)
        if regain <= 0 and code in APP_LEVEL_CODES and usage.peak(response.headers) >= 100:
            regain = app_reset_minutes * 60.0
        if regain <= 0:
            return RateLimitedError(PLATFORM, message, status=response.status_code, code=code)
        retry_at = now() + timedelta(seconds=regain)
        cls = QuotaExhaustedError if regain > max_wait_s else RateLimitedError
        return cls(PLATFORM, message, status=response.status_code, code=code, retry_at=retry_at)

    def _from_envelope(response: httpx.Response, error: dict) -> ApiError:
        status, message = response.status_code, str(error.get("message") or response.reason_phrase)
        try:
            code = int(error.get("code"))
        except (TypeError, ValueError):
            code = -1
        subcode = error.get("error_subcode")
        detail = f"{code}/{subcode}" if subcode else code
        if code in THROTTLE_CODES:
            return _throttled(response, code, message)
        if code in AUTH_CODES:
            return AuthError(PLATFORM, message, status=status, code=detail)
        if code == 10 and any(hint in message.lower() for hint in NO_DATA_HINTS):
            return NotEnoughDataError(PLATFORM, message, status=status, code=code)
        if code == 10 or 200 <= code <= 299:
            return AuthError(PLATFORM, f"{message} (the token lacks a permission: pages_read_engagement, "
                                       "read_insights)", status=status, code=code)
        if code in TRANSIENT_CODES or error.get("is_transient") or status >= 500:
            return TransientError(PLATFORM, message, status=status, code=code)
        if code == 100:
            bad = named_metric(message, _requested_metrics(response))
            return InvalidRequestError(PLATFORM, message, status=status, code=code, invalid_metric=bad)
        return InvalidRequestError(PLATFORM, message, status=status, code=detail)

    return classify
