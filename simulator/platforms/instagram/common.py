"""Shared Instagram pieces: Meta's error envelope, usage headers, tokens, time formats, paging.

Every Graph error is `{"error": {"message", "type", "code", "error_subcode"?, "is_transient"?,
"fbtrace_id"}}`, usually with HTTP 400 whatever the cause: clients must key off `error.code`
(80002 Instagram throttling, 190 token, 100 parameter/metric, 10 permission/not enough viewers).
Throttling is announced in `X-Business-Use-Case-Usage` (type "instagram") with
`estimated_time_to_regain_access` in minutes.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from simulator.account import AccountWorld
from simulator.faults import Fault, FaultState, register_mutator
from simulator.routing import Request, Response

PLATFORM = "instagram"
TOKEN_PREFIX = "sim-ig:"
# Instagram-only fault keys (see simulator/faults.py: registered keys are accepted by FaultConfig.parse).
REJECT_METRICS = "ig_reject_metrics"            # list: metrics the API treats as unsupported for every media
NOT_ENOUGH_VIEWERS = "ig_not_enough_viewers_every"  # int N: media with index % N == 0 answer (#10)
THROTTLE_MESSAGE = ("(#80002) There have been too many calls to this Instagram account. Wait a bit and try "
                    "again. For more info, please refer to "
                    "https://developers.facebook.com/docs/graph-api/overview/rate-limiting.")


def _keep_body(platform: str, endpoint: str, body: Any, value: Any, state: FaultState) -> Any:
    """These keys change handler behaviour, not bodies: the handlers read them from the config."""
    return body


for _key in (REJECT_METRICS, NOT_ENOUGH_VIEWERS):
    register_mutator(_key)(_keep_body)


def fault_value(req: Request, key: str) -> Any:
    config = req.state.faults.config.for_platform(PLATFORM)
    return None if config is None else config.data.get(key)


def trace_id(*parts: object) -> str:
    return base64.urlsafe_b64encode(hashlib.sha1(repr(parts).encode()).digest()).decode()[:23]


def meta_error(status: int, code: int, message: str, *, subcode: int | None = None, transient: bool | None = None,
               error_type: str = "OAuthException", headers: dict[str, str] | None = None) -> Response:
    err: dict[str, Any] = {"message": message, "type": error_type, "code": code}
    if subcode is not None:
        err["error_subcode"] = subcode
    if transient is not None:
        err["is_transient"] = transient
    err["fbtrace_id"] = trace_id(code, message)
    return Response(status, {"error": err}, headers or {})


def usage_headers(account_id: str, call_count: int, regain_minutes: int = 0) -> dict[str, str]:
    """Meta's usage headers (percentages of the allowance; regain time in minutes)."""
    pct = min(call_count, 100)
    buc = {account_id: [{"type": "instagram", "call_count": pct, "total_cputime": max(pct // 3, 1),
                         "total_time": max(pct // 2, 1), "estimated_time_to_regain_access": regain_minutes}]}
    app = {"call_count": pct, "total_time": max(pct // 2, 1), "total_cputime": max(pct // 3, 1)}
    return {"X-App-Usage": json.dumps(app, separators=(",", ":")),
            "X-Business-Use-Case-Usage": json.dumps(buc, separators=(",", ":"))}


def throttled(regain_minutes: int, account_id: str = "0") -> Response:
    return meta_error(400, 80002, THROTTLE_MESSAGE, transient=True,
                      headers=usage_headers(account_id, 100, regain_minutes))


def invalid_token(subcode: int | None = None, message: str | None = None) -> Response:
    return meta_error(400, 190, message or "Invalid OAuth access token - Cannot parse access token", subcode=subcode)


def render_fault(fault: Fault, endpoint: str) -> Response:
    """A fault decision in Meta's wire format: throttling is code 80002 whatever the HTTP status."""
    if fault.kind == "quota":  # the BUC allowance is spent: access comes back in an hour
        return throttled(60)
    if fault.kind == "rate_limit":
        return throttled(math.ceil((fault.retry_after or 0) / 60))
    if fault.kind == "expired_token":
        return invalid_token(463, "Error validating access token: Session has expired on Friday, 20-Nov-26 "
                                  "04:00:00 PST. The current time is Friday, 20-Nov-26 04:00:01 PST.")
    if fault.kind == "invalid_token":
        return invalid_token(460, "Error validating access token: The session has been invalidated because "
                                  "the user changed their password or Facebook has changed the session for "
                                  "security reasons.")
    return meta_error(500, 2, "An unexpected error has occurred. Please retry your request later.", transient=True)


def owner(req: Request) -> str | None:
    """The Instagram user id of a simulator token (`sim-ig:<ig-user-id>`) or an Instagram Login token."""
    token = req.bearer or ""
    if not token.startswith(TOKEN_PREFIX):
        granted = req.state.grants.accounts(PLATFORM, token or None)
        return granted[0] if granted else None
    return token[len(TOKEN_PREFIX):] or None


def account(req: Request, ig_user_id: str) -> AccountWorld:
    acct = req.state.world.account(PLATFORM, ig_user_id)
    acct.posts_at()  # generate it, so its media ids resolve
    return acct


def not_found(node: str) -> Response:
    return meta_error(400, 100, f"Unsupported get request. Object with ID '{node}' does not exist, cannot be "
                                "loaded due to missing permissions, or does not support this operation.",
                      subcode=33, error_type="GraphMethodException")


def graph_time(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M:%S+0000")


def fields(req: Request, default: str) -> list[str]:
    return [f.strip() for f in (req.query.get("fields") or default).split(",") if f.strip()]


def cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"ig:{offset}".encode()).decode().rstrip("=")


def parse_cursor(text: str) -> int | None:
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
        return int(raw[3:]) if raw.startswith("ig:") and int(raw[3:]) >= 0 else None
    except ValueError:
        return None


def page_url(req: Request, **changes: str) -> str:
    """A full `paging.next/previous` URL: same path and parameters (access token included, as Graph does)."""
    query = {k: v for k, v in req.query.items() if k not in ("after", "before")}
    query.update(changes)
    return f"http://{req.headers.get('host', 'localhost')}{req.path}?{urlencode(query)}"
