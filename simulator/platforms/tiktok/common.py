"""Shared TikTok pieces: the two error envelopes, auth, fields, log ids, fault keys.

Display API v2 answers `{"data": {...}, "error": {"code": "ok", "message": "", "log_id": "..."}}`
and signals errors with the HTTP status *and* `error.code` (access_token_invalid 401,
scope_not_authorized 401, invalid_params 400, rate_limit_exceeded 429, internal_error 500).
The Business API answers HTTP 200 with `{"code": 0, "message": "OK", "request_id", "data"}`;
a non-zero `code` is the error (40100 = throttled).

TikTok-only fault keys (registered through `simulator.faults.register_mutator`, so the shared
parser accepts them; the handlers read them, the body mutator itself is the identity):
  tiktok_invalid_fields       ["favorites", ...]  these field/metric names are rejected as
                              invalid_params / 40002 (a retired metric, as the API answers it)
  tiktok_scope_not_authorized ["user_info", ...]  endpoints whose scope the user did not grant
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from simulator.account import AccountWorld
from simulator.faults import Fault, register_mutator
from simulator.routing import Request, Response

PLATFORM = "tiktok"
DISPLAY_TOKEN_PREFIX = "act.sim:"
BUSINESS_TOKEN_PREFIX = "bat.sim:"
BUSINESS_ENDPOINTS = {"business_get", "business_video_list"}
INVALID_FIELDS_KEY = "tiktok_invalid_fields"
SCOPE_KEY = "tiktok_scope_not_authorized"
QUOTA_RETRY_AFTER_S = 3600  # `quota_exceeded_after`: a long throttle, longer than any client waits
MESSAGES = {
    "access_token_invalid": "The access token is invalid or not found in the request.",
    "scope_not_authorized": "The user did not authorize the scope required for completing this request.",
    "rate_limit_exceeded": "The API rate limit was exceeded. Please try again later.",
    "internal_error": "Something went wrong. Please try again later.",
}


def _identity(platform: str, endpoint: str, body: Any, value: Any, state: Any) -> Any:
    return body


for _key in (INVALID_FIELDS_KEY, SCOPE_KEY):
    register_mutator(_key)(_identity)


def fault_value(req: Request, key: str) -> list[str]:
    pf = req.state.faults.config.for_platform(PLATFORM)
    value = pf.data.get(key) if pf is not None else None
    return [str(v) for v in value] if isinstance(value, list) else []


def log_id(req: Request) -> str:
    """A TikTok-shaped log id: UTC timestamp + 20 hex digits, stable for the same request."""
    stamp = req.state.world.now.strftime("%Y%m%d%H%M%S")
    digest = hashlib.sha1(req.path.encode() + req.body + json.dumps(req.query, sort_keys=True).encode())
    return stamp + digest.hexdigest()[:20].upper()


# --- Display API envelope ----------------------------------------------------------------------
def display_ok(req: Request, data: dict[str, Any]) -> Response:
    error = {"code": "ok", "message": "", "log_id": log_id(req)}
    return Response(200, {"data": data, "error": error}, {"X-Tt-Logid": error["log_id"]})


def display_error(status: int, code: str, message: str | None = None, *, retry_after: int | None = None,
                  log: str = "") -> Response:
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
    body = {"data": {}, "error": {"code": code, "message": message or MESSAGES.get(code, code), "log_id": log}}
    return Response(status, body, headers)


def invalid_params(req: Request, message: str) -> Response:
    return display_error(400, "invalid_params", message, log=log_id(req))


# --- Business API envelope ---------------------------------------------------------------------
def business_ok(req: Request, data: dict[str, Any]) -> Response:
    return Response(200, {"code": 0, "message": "OK", "request_id": log_id(req), "data": data})


def business_error(code: int, message: str, request_id: str = "") -> Response:
    return Response(200, {"code": code, "message": message, "request_id": request_id, "data": {}})


def render_fault(fault: Fault, endpoint: str) -> Response:
    """A fault decision in the wire format of the API that owns `endpoint`."""
    if endpoint in BUSINESS_ENDPOINTS:
        if fault.kind in ("rate_limit", "quota"):
            return business_error(40100, "Requests made too frequently. Please try again later.")
        if fault.kind in ("expired_token", "invalid_token"):
            return business_error(40105, "The access token is invalid or has been revoked.")
        return business_error(50002, "Internal service error. Please try again later.")
    if fault.kind == "rate_limit":
        return display_error(429, "rate_limit_exceeded", retry_after=fault.retry_after or 1)
    if fault.kind == "quota":
        return display_error(429, "rate_limit_exceeded", retry_after=QUOTA_RETRY_AFTER_S)
    if fault.kind in ("expired_token", "invalid_token"):
        return display_error(401, "access_token_invalid")
    return display_error(500, "internal_error")


# --- auth and fields ---------------------------------------------------------------------------
def display_owner(req: Request) -> str | None:
    """open_id of the bearer token: a token this simulator issued, or the static `act.sim:<open_id>`."""
    token = req.bearer
    if token is None:
        return None
    granted = req.state.grants.accounts(PLATFORM, token)  # a token of the code flow
    owner = granted[0] if granted else req.state.tokens.owner(PLATFORM, token)
    if owner is None and token.startswith(DISPLAY_TOKEN_PREFIX):
        owner = token[len(DISPLAY_TOKEN_PREFIX):] or None
    return owner


def business_owner(req: Request) -> str | None:
    token = req.headers.get("access-token", "")
    return token[len(BUSINESS_TOKEN_PREFIX):] or None if token.startswith(BUSINESS_TOKEN_PREFIX) else None


def scope_missing(req: Request) -> bool:
    return req.endpoint in fault_value(req, SCOPE_KEY)


def split_fields(raw: str | None) -> list[str]:
    return [f.strip() for f in (raw or "").split(",") if f.strip()]


def bad_fields(req: Request, fields: list[str], allowed: set[str]) -> list[str]:
    """Requested fields the API does not know (or, by fault config, no longer serves)."""
    retired = set(fault_value(req, INVALID_FIELDS_KEY))
    return [f for f in fields if f not in allowed or f in retired]


def account(req: Request, open_id: str) -> AccountWorld:
    return req.state.world.account(PLATFORM, open_id)


def stable_fraction(*parts: object) -> float:
    digest = hashlib.blake2b("\x1f".join(str(p) for p in parts).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little") / 2**64
