"""TikTok answers → the shared error classes, for both envelopes.

Display API v2: `{"error": {"code": "<string>", "message", "log_id"}}` with a meaningful HTTP
status (access_token_invalid / scope_not_authorized 401, invalid_params 400,
rate_limit_exceeded 429, internal_error 500). The code, not only the status, decides: a
200 whose `error.code` is not "ok" is still an error.
Business API v1.3: always HTTP 200, `{"code": <int>, "message", "request_id"}`; 0 is success,
40100 is throttling (retry with backoff), 4010x are token problems, 5xxxx are server errors.
OAuth token endpoint: flat `{"error": "invalid_grant", "error_description": ...}`.

AuthErrors carry the account and the env var to fix, so the alert says what to do.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import datetime

import httpx

from ingestion.http import (
    ApiError,
    AuthError,
    InvalidRequestError,
    NotFoundError,
    RateLimitedError,
    TransientError,
)
from ingestion.http.client import json_object as _body
from ingestion.http.retry import parse_retry_after

PLATFORM = "tiktok"
BUSINESS_THROTTLED = 40100
BUSINESS_AUTH_CODES = {40001, 40102, 40104, 40105}
_FIELD_LIST = re.compile(r"(?:field|metric)(?:\(s\)|s)?\s*:\s*([A-Za-z0-9_]+(?:\s*,\s*[A-Za-z0-9_]+)*)", re.I)


def invalid_names(message: str) -> list[str]:
    """Field names an invalid_params / 40002 message points at ('Invalid field(s): a,b')."""
    names: list[str] = []
    for found in _FIELD_LIST.finditer(message or ""):
        names.extend(name.strip() for name in found.group(1).split(",") if name.strip())
    return names




def classify_display(now: Callable[[], datetime], account: str,
                     settings: Mapping[str, str]) -> Callable[[httpx.Response], ApiError | None]:
    """Classifier for open.tiktokapis.com (Display API and the OAuth token endpoint)."""

    def classify(response: httpx.Response) -> ApiError | None:
        status, body = response.status_code, _body(response)
        error = body.get("error")
        if isinstance(error, str):  # OAuth token endpoint
            return AuthError(PLATFORM, f"token refresh refused: {error}: {body.get('error_description', '')}",
                             status=status, code=error, account=account, setting=settings["refresh_token"])
        error = error if isinstance(error, dict) else {}
        code = error.get("code") or None
        if status < 300 and code in (None, "ok"):
            return None
        message = f"{error.get('message') or response.reason_phrase} (log_id {error.get('log_id', '?')})"
        if code == "rate_limit_exceeded" or status == 429:
            return RateLimitedError(PLATFORM, message, status=status, code=code,
                                    retry_at=parse_retry_after(response.headers.get("Retry-After"), now()))
        if code == "scope_not_authorized":
            return AuthError(PLATFORM, message + "; re-authorise with scopes user.info.basic, user.info.profile, "
                             "user.info.stats, video.list", status=status, code=code, account=account,
                             setting=settings["access_token"])
        if code == "access_token_invalid" or status in (401, 403):
            return AuthError(PLATFORM, message, status=status, code=code or "access_token_invalid",
                             account=account, setting=settings["access_token"])
        if code == "internal_error" or status >= 500:
            return TransientError(PLATFORM, message, status=status, code=code)
        if status == 404:
            return NotFoundError(PLATFORM, message, status=status, code=code)
        names = invalid_names(error.get("message", ""))
        return InvalidRequestError(PLATFORM, message, status=status, code=code,
                                   invalid_metric=",".join(names) or None)

    return classify


def classify_business(account: str, setting: str) -> Callable[[httpx.Response], ApiError | None]:
    """Classifier for business-api.tiktok.com (HTTP 200 envelopes keyed by `code`)."""

    def classify(response: httpx.Response) -> ApiError | None:
        status, body = response.status_code, _body(response)
        code = body.get("code")
        if status < 300 and code == 0:
            return None
        message = f"{body.get('message') or response.reason_phrase} (request_id {body.get('request_id', '?')})"
        if code == BUSINESS_THROTTLED or status == 429:
            return RateLimitedError(PLATFORM, message, status=status, code=code)
        if code in BUSINESS_AUTH_CODES or status in (401, 403):
            return AuthError(PLATFORM, message, status=status, code=code, account=account, setting=setting)
        if status >= 500 or (isinstance(code, int) and code >= 50000):
            return TransientError(PLATFORM, message, status=status, code=code)
        names = invalid_names(body.get("message", ""))
        return InvalidRequestError(PLATFORM, message, status=status, code=code,
                                   invalid_metric=",".join(names) or None)

    return classify
