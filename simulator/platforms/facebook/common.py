"""Shared Graph API pieces: the Meta error envelope, tokens, timestamps, paging, usage headers.

Graph answers every error as `{"error": {"message", "type", "code", "error_subcode"?,
"is_transient", "fbtrace_id"}}`, usually with HTTP 400 whatever the cause: connectors must key
off `error.code`. Throttling answers carry `X-App-Usage` (percentages) and
`X-Business-Use-Case-Usage` (per Page, with `estimated_time_to_regain_access` in minutes).
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from simulator.account import AccountWorld
from simulator.faults import Fault
from simulator.routing import Request, Response

PLATFORM = "facebook"
TOKEN_PREFIX = "sim-fb-page:"  # simulated Page access tokens: sim-fb-page:<page id>
PACIFIC = ZoneInfo("America/Los_Angeles")
THROTTLE_MESSAGES = {
    4: "(#4) Application request limit reached",
    17: "(#17) User request limit reached",
    32: "(#32) Page request limit reached",
    613: "(#613) Calls to this api have exceeded the rate limit.",
    80001: "(#80001) There have been too many calls to this Page account. Wait a bit and try again.",
}


def trace_id(*parts: Any) -> str:
    digest = hashlib.sha1("|".join(map(str, parts)).encode()).digest()
    return base64.b64encode(digest).decode()[:11]


def graph_error(code: int, message: str, *, status: int = 400, subcode: int | None = None,
                transient: bool = False, kind: str = "OAuthException",
                headers: dict[str, str] | None = None) -> Response:
    err: dict[str, Any] = {"message": message, "type": kind, "code": code}
    if subcode is not None:
        err["error_subcode"] = subcode
    err["is_transient"] = transient
    err["fbtrace_id"] = trace_id(code, message)
    return Response(status, {"error": err}, headers or {})


def usage_headers(page_id: str | None, pct: int, regain_minutes: int = 0) -> dict[str, str]:
    """`X-App-Usage` and (for a Page) `X-Business-Use-Case-Usage`, as JSON strings like the real API."""
    pct = max(0, int(pct))
    headers = {"X-App-Usage": json.dumps({"call_count": pct, "total_time": max(pct - 3, 0),
                                          "total_cputime": max(pct - 5, 0)})}
    if page_id:
        headers["X-Business-Use-Case-Usage"] = json.dumps({page_id: [{
            "type": "pages", "call_count": pct, "total_cputime": max(pct - 5, 0), "total_time": max(pct - 3, 0),
            "estimated_time_to_regain_access": regain_minutes}]})
    return headers


def throttle_error(code: int, page_id: str | None, regain_minutes: int) -> Response:
    pct = 100 if regain_minutes or code == 4 else 96
    return graph_error(code, THROTTLE_MESSAGES.get(code, f"(#{code}) Rate limited"), transient=True,
                       headers=usage_headers(page_id, pct, regain_minutes))


def invalid_token(subcode: int | None = None, message: str | None = None) -> Response:
    text = message or "Invalid OAuth access token - Cannot parse access token"
    return graph_error(190, text, subcode=subcode, headers={"WWW-Authenticate": 'OAuth "Facebook Platform" '
                                                            '"invalid_token" "' + text + '"'})


def render_fault(fault: Fault, endpoint: str) -> Response:
    """A shared fault decision in Meta's format.

    rate_limit -> (#80001) Page throttling, regain time = Retry-After rounded up to minutes;
    quota -> (#4) app limit with X-App-Usage at 100 % and an hour to regain access.
    """
    if fault.kind == "rate_limit":
        return throttle_error(80001, "0", math.ceil((fault.retry_after or 1) / 60))
    if fault.kind == "quota":
        return throttle_error(4, "0", 60)
    if fault.kind == "expired_token":
        return invalid_token(463, "Error validating access token: Session has expired on Thursday, "
                                  "19-Nov-26 16:00:00 PST. The current time is Friday, 20-Nov-26 04:00:00 PST.")
    if fault.kind == "invalid_token":
        return invalid_token(460, "Error validating access token: The session has been invalidated because "
                                  "the user changed their password or Facebook has changed the session for "
                                  "security reasons.")
    return graph_error(500, "An unknown error has occurred.", status=500, transient=True, kind="OAuthException")


def render_not_found(path: str) -> Response:
    return graph_error(2500, "Unknown path components: " + path, kind="OAuthException")


def page_of_token(req: Request) -> str | None:
    """The Page id a simulated Page token was issued for (None when absent or not ours)."""
    token = req.bearer or ""
    if token.startswith(TOKEN_PREFIX) and len(token) > len(TOKEN_PREFIX):
        return token[len(TOKEN_PREFIX):].split(":")[0]
    grant = req.state.grants.valid(PLATFORM, token or None)  # Page or user token of Facebook Login
    if grant is not None:  # a user token reads the granted Page the path names (else its first)
        node = req.params.get("node", "")
        return node if "user" in grant.extra and node in grant.accounts else grant.accounts[0]
    return req.state.tokens.owner(PLATFORM, token or None)


def instagram_account_of(page_id: str) -> str:
    """The Instagram professional account linked to a Page (IG user ids are 17 digits, 1784…)."""
    return "1784" + str(int(hashlib.sha1(f"ig-of-{page_id}".encode()).hexdigest(), 16))[:13]


def account(req: Request, page_id: str) -> AccountWorld:
    return req.state.world.account(PLATFORM, page_id)


def fb_time(moment: datetime) -> str:
    """Graph timestamps: `2026-11-20T14:00:00+0000`."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


def end_time(day: date) -> str:
    """A daily insight value for `day` ends at the next midnight, Pacific time (07:00/08:00 UTC)."""
    following = day + timedelta(days=1)
    midnight = datetime(following.year, following.month, following.day, tzinfo=PACIFIC)
    return fb_time(midnight)


def cursor(offset: int) -> str:
    return base64.b64encode(f"fbcur:{offset}".encode()).decode().rstrip("=")


def parse_cursor(text: str) -> int | None:
    try:
        raw = base64.b64decode(text + "=" * (-len(text) % 4)).decode()
    except ValueError:
        return None
    if not raw.startswith("fbcur:") or not raw[6:].isdigit():
        return None
    return int(raw[6:])


def self_url(req: Request, **changes: Any) -> str:
    """The request's own URL with some query parameters changed (Graph's `paging.next`)."""
    query = {**req.query, **{k: v for k, v in changes.items() if v is not None}}
    for key in [k for k, v in changes.items() if v is None]:
        query.pop(key, None)
    host = req.headers.get("host", "127.0.0.1")
    return f"http://{host}{req.path}?{urlencode(query)}"


def limit_param(req: Request, default: int = 25, high: int = 100) -> int | Response:
    raw = req.query.get("limit", str(default))
    if not raw.isdigit() or not 0 < int(raw) <= high:
        return graph_error(100, f"(#100) The parameter limit must be between 1 and {high}")
    return int(raw)


def paged(req: Request, items: list[dict], size: int) -> Response:
    """Cursor paging: `paging.cursors.before/after`, `paging.next` only when more remain."""
    offset = parse_cursor(req.query["after"]) if req.query.get("after") else 0
    if offset is None:
        return graph_error(100, "(#100) Invalid cursor: after")
    chunk = items[offset:offset + size]
    body: dict[str, Any] = {"data": chunk}
    if chunk:
        body["paging"] = {"cursors": {"before": cursor(offset), "after": cursor(offset + len(chunk))}}
        if offset + size < len(items):
            body["paging"]["next"] = self_url(req, after=cursor(offset + len(chunk)), before=None)
        if offset > 0:
            body["paging"]["previous"] = self_url(req, before=cursor(offset), after=None)
    return Response(200, body)
