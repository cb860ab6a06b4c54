"""Shared X API v2 pieces: problem-style error bodies, rate-limit headers, tokens, formats.

X v2 answers errors as RFC 7807-ish problems (`{"title", "detail", "type", "status"}`),
invalid parameters as `{"errors": [{"parameters": {...}, "message"}], "title": "Invalid Request", ...}`,
and partial failures as a 200 whose body carries `errors[]` next to `data`. Every answer has
`x-rate-limit-limit/-remaining/-reset` (reset = Unix seconds of the 15-minute window's end).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from simulator.faults import Fault
from simulator.routing import Request, Response

PLATFORM = "x"
APP_BEARER = "AAAAAAAAAAAAAAAAAAAAAtidemarksimulatorappbearer"
REFRESH_PREFIX = "sim-x-refresh:"
USER_TOKEN_FORMAT = "sim-x-user:{account}:{n}"
WINDOW_S = 15 * 60
# Real per-app limits of the endpoints (requests per 15 minutes).
LIMITS = {"users": 300, "user_tweets": 1500, "token": 1000}
PROBLEMS = "https://api.x.com/2/problems/"
USAGE_CAPPED = PROBLEMS + "usage-capped"
INVALID_REQUEST = PROBLEMS + "invalid-request"
NOT_AUTHORIZED_FIELD = PROBLEMS + "not-authorized-for-field"
RESOURCE_NOT_FOUND = PROBLEMS + "resource-not-found"


def problem(status: int, title: str, detail: str, type_: str = "about:blank", headers: dict | None = None,
            **extra: Any) -> Response:
    body: dict[str, Any] = {"title": title, "detail": detail, "type": type_, "status": status, **extra}
    return Response(status, body, dict(headers or {}))


def unauthorized() -> Response:
    return problem(401, "Unauthorized", "Unauthorized")


def x_time(dt: datetime) -> str:
    """X timestamps: ISO-8601 UTC with milliseconds, `2026-11-20T15:04:05.000Z`."""
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


def rate_headers(req: Request, endpoint: str, *, exhausted: bool = False, reset_in: int | None = None) -> dict:
    """Per-endpoint counters of the current 15-minute window of the world clock."""
    now = int(req.state.world.now.timestamp())
    window = now - now % WINDOW_S
    counts = req.state.scratch(PLATFORM).setdefault("rate", {})
    key = (endpoint, window)
    counts[key] = counts.get(key, 0) + 1
    limit = LIMITS.get(endpoint, 900)
    remaining = 0 if exhausted else max(limit - counts[key], 0)
    reset = now + reset_in if reset_in is not None else window + WINDOW_S
    return {"x-rate-limit-limit": str(limit), "x-rate-limit-remaining": str(remaining),
            "x-rate-limit-reset": str(reset)}


# render_fault gets no request (so no world clock): the clock of the latest X request is kept
# here so a 429 can still announce x-rate-limit-reset in world time. Before any request was
# served, the header is left out and clients fall back to their backoff.
_LAST_CLOCK: dict[str, int] = {}


def note_clock(req: Request) -> None:
    _LAST_CLOCK["now"] = int(req.state.world.now.timestamp())


def throttled(limit: int, reset: int | None) -> Response:
    headers = {"x-rate-limit-limit": str(limit), "x-rate-limit-remaining": "0"}
    if reset is not None:
        headers["x-rate-limit-reset"] = str(reset)
    return problem(429, "Too Many Requests", "Too Many Requests", headers=headers)


def render_fault(fault: Fault, endpoint: str) -> Response:
    """A fault decision in X's wire format."""
    if fault.kind == "quota":
        return problem(429, "UsageCapExceeded", "Usage cap exceeded: Monthly product cap", USAGE_CAPPED,
                       period="Monthly", scope="Product")
    if fault.kind == "rate_limit":
        now = _LAST_CLOCK.get("now")
        return throttled(LIMITS.get(endpoint, 900), None if now is None else now + (fault.retry_after or 1))
    if fault.kind in ("expired_token", "invalid_token"):
        return unauthorized()
    return problem(503, "Service Unavailable", "Service Unavailable")


def caller(req: Request) -> str | None:
    """'app' for the app bearer, the user id for a user-context token, None when unknown."""
    token = req.bearer
    if token == APP_BEARER:
        return "app"
    granted = req.state.grants.accounts(PLATFORM, token)  # a token of the code flow
    return granted[0] if granted else req.state.tokens.owner(PLATFORM, token)
