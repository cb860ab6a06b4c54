"""X API v2 answers → the shared error classes.

X speaks problem documents (`{"title", "detail", "type", "status"}`); the `type`, not the
status, separates a short throttle (429 `about:blank`, wait until `x-rate-limit-reset`) from
the spend cap (429 `.../problems/usage-capped`: billing stops reads until the next cycle, so
retrying is pointless and costs nothing but time). An invalid field comes back as 400 with
`errors[].parameters`, which is how the connector learns which field to drop.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import httpx

from ingestion.http import (
    ApiError,
    AuthError,
    InvalidRequestError,
    NotFoundError,
    QuotaExhaustedError,
    RateLimitedError,
    TransientError,
    parse_retry_after,
)
from ingestion.http.client import json_object as _body

PLATFORM = "x"
FIELD_PARAMS = ("tweet.fields", "media.fields", "user.fields", "expansions")


def reset_at(headers: httpx.Headers) -> datetime | None:
    """`x-rate-limit-reset` (Unix seconds) as an aware UTC datetime."""
    raw = headers.get("x-rate-limit-reset")
    try:
        return datetime.fromtimestamp(int(raw), UTC) if raw else None
    except (TypeError, ValueError, OverflowError):
        return None


def next_month(now: datetime) -> datetime:
    """Start (UTC) of the next calendar month: when a monthly usage cap starts over."""
    year, month = (now.year + 1, 1) if now.month == 12 else (now.year, now.month + 1)
    return datetime(year, month, 1, tzinfo=UTC)


def rejected_field(body: dict) -> str | None:
    """The first field value a 400 invalid-request names in `errors[].parameters`."""
    for item in body.get("errors") or []:
        for param, values in (item.get("parameters") or {}).items() if isinstance(item, dict) else ():
            if param in FIELD_PARAMS and values:
                return str(values[0])
    return None




def classify_x(now: Callable[[], datetime],
               on_exhausted: Callable[[datetime], None] | None = None) -> Callable[[httpx.Response], ApiError | None]:
    """Classifier for ApiClient; `on_exhausted(reset)` hears of a window spent on a successful call."""

    def classify(response: httpx.Response) -> ApiError | None:
        status = response.status_code
        if status < 300:
            reset = reset_at(response.headers)
            if on_exhausted and reset and response.headers.get("x-rate-limit-remaining") == "0":
                on_exhausted(reset)
            return None
        body = _body(response)
        if isinstance(body.get("error"), str):  # OAuth token endpoint: {"error", "error_description"}
            return AuthError(PLATFORM, f"{body['error']}: {body.get('error_description', '')}", status=status,
                             code=body["error"])
        kind = str(body.get("type") or "")
        message = str(body.get("detail") or body.get("title") or response.reason_phrase)
        code = kind.rsplit("/", 1)[-1] if kind.startswith("http") else None
        if status == 429 and kind.endswith("/problems/usage-capped"):
            return QuotaExhaustedError(PLATFORM, f"usage cap reached: {message}", status=status, code="usage-capped",
                                       retry_at=next_month(now()))
        if status == 429:
            retry_at = reset_at(response.headers) or parse_retry_after(response.headers.get("Retry-After"), now())
            return RateLimitedError(PLATFORM, message, status=status, code=code, retry_at=retry_at)
        if status in (401, 403):
            return AuthError(PLATFORM, message, status=status, code=code)
        if status == 404:
            return NotFoundError(PLATFORM, message, status=status, code=code)
        if status >= 500:
            return TransientError(PLATFORM, message, status=status, code=code)
        field = rejected_field(body)
        if field:
            message = (body.get("errors") or [{}])[0].get("message", message)
        return InvalidRequestError(PLATFORM, message, status=status, code=code, invalid_metric=field)

    return classify
