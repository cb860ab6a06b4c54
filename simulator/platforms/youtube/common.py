"""Shared YouTube pieces: the Google error envelope, auth, ids, etags, formats.

Google APIs answer errors with one envelope
`{"error": {"code", "message", "errors": [{"message", "domain", "reason", ...}]}}`
whatever the HTTP status; connectors key off `errors[0].reason`, so reasons
and domains here follow the real API (quotaExceeded in youtube.quota,
rateLimitExceeded, backendError, authError, badRequest, ...).
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from simulator.account import AccountWorld
from simulator.faults import Fault
from simulator.routing import Request, Response

PLATFORM = "youtube"
CONTENT_TYPE = {"short": "SHORTS", "long_video": "VIDEO_ON_DEMAND"}  # world format -> creatorContentType
AUTH_MESSAGE = ("Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie "
                "or other valid authentication credential. "
                "See https://developers.google.com/identity/sign-in/web/devconsole-project.")
QUOTA_MESSAGE = ("The request cannot be completed because you have exceeded your "
                 "<a href=\"/youtube/v3/getting-started#quota\">quota</a>.")


def google_error(code: int, reason: str, message: str, *, domain: str = "global", location: str | None = None,
                 location_type: str = "parameter", headers: dict[str, str] | None = None) -> Response:
    err: dict[str, Any] = {"message": message, "domain": domain, "reason": reason}
    if location is not None:
        err["location"] = location
        err["locationType"] = location_type
    return Response(code, {"error": {"code": code, "message": message, "errors": [err]}}, headers or {})


def bad_request(message: str, *, reason: str = "badRequest", domain: str = "global",
                location: str | None = None) -> Response:
    return google_error(400, reason, message, domain=domain, location=location)


def auth_error() -> Response:
    return google_error(401, "authError", AUTH_MESSAGE, location="Authorization", location_type="header",
                        headers={"WWW-Authenticate": 'Bearer realm="https://accounts.google.com/"'})


def render_fault(fault: Fault, endpoint: str) -> Response:
    """A fault decision in Google's wire format (Analytics quota uses the usageLimits domain)."""
    if fault.kind == "quota":
        domain = "usageLimits" if endpoint == "reports" else "youtube.quota"
        return google_error(403, "quotaExceeded", QUOTA_MESSAGE, domain=domain)
    if fault.kind == "rate_limit":
        return google_error(429, "rateLimitExceeded", "Rate Limit Exceeded", domain="usageLimits",
                            headers={"Retry-After": str(fault.retry_after or 1)})
    if fault.kind in ("expired_token", "invalid_token"):
        return auth_error()
    return google_error(500, "backendError", "Backend Error")


def channels_of(req: Request) -> tuple[str, ...]:
    """Every channel the bearer token may act for: one for bootstrap tokens, the consent's for issued ones."""
    owner = req.state.tokens.owner(PLATFORM, req.bearer)
    if owner is not None:
        return (owner,)
    return req.state.grants.accounts(PLATFORM, req.bearer) or ()


def channel_of(req: Request) -> str | None:
    """The channel id the request's bearer token was issued for (the first granted; None if absent/unknown)."""
    channels = channels_of(req)
    return channels[0] if channels else None


def account(req: Request, channel_id: str) -> AccountWorld:
    return req.state.world.account(PLATFORM, channel_id)


def uploads_playlist(channel_id: str, prefix: str = "UU") -> str:
    """`UC…` -> `UU…` (also `UUSH…` Shorts / `UULF…` long videos, the undocumented playlists)."""
    return prefix + (channel_id[2:] if channel_id.startswith("UC") else channel_id)


def etag(obj: Any) -> str:
    digest = hashlib.sha1(json.dumps(obj, sort_keys=True, default=str).encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()[:27]


def rfc3339(dt: Any) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_duration(seconds: int | None) -> str:
    """ISO-8601 duration as the Data API writes it: PT45S, PT2M15S, PT4M, PT1H2M3S."""
    s = int(seconds or 0)
    h, rem = divmod(s, 3600)
    m, sec = divmod(rem, 60)
    out = "PT" + (f"{h}H" if h else "") + (f"{m}M" if m else "")
    return out + (f"{sec}S" if sec or out == "PT" else "")


def parts(req: Request, allowed: set[str]) -> set[str] | Response:
    """The validated `part` parameter (required by every Data API list call)."""
    raw = req.query.get("part")
    if not raw:
        return bad_request("Required parameter: part", reason="required", location="part")
    wanted = {p.strip() for p in raw.split(",") if p.strip()}
    for p in wanted:
        if p not in allowed:
            return bad_request(f"'{p}'", reason="unknownPart", domain="youtube.part", location="part")
    return wanted


def thumbnails(seed: str) -> dict[str, Any]:
    base = f"https://i.ytimg.com/vi/{seed}"
    return {"default": {"url": f"{base}/default.jpg", "width": 120, "height": 90},
            "medium": {"url": f"{base}/mqdefault.jpg", "width": 320, "height": 180},
            "high": {"url": f"{base}/hqdefault.jpg", "width": 480, "height": 360}}
