"""TikTok OAuth v2 token endpoint, `POST /v2/oauth/token/` (grant_type=refresh_token only).

Form fields client_key, client_secret, grant_type, refresh_token. The simulator accepts refresh
tokens shaped `rft.sim:<open_id>` and issues access tokens the token store remembers. Errors use
the flat OAuth body `{"error", "error_description", "log_id"}` (HTTP 400), as the real endpoint.
"""

from __future__ import annotations

from simulator.platforms.tiktok.common import PLATFORM, log_id
from simulator.routing import Request, Response

REFRESH_PREFIX = "rft.sim:"
SCOPES = "user.info.basic,user.info.profile,user.info.stats,video.list"
EXPIRES_IN = 86400
REFRESH_EXPIRES_IN = 31536000


def _error(req: Request, error: str, description: str) -> Response:
    return Response(400, {"error": error, "error_description": description, "log_id": log_id(req)})


def token(req: Request) -> Response:
    form = req.form()
    if form.get("grant_type") != "refresh_token":
        return _error(req, "unsupported_grant_type", f"grant_type {form.get('grant_type')!r} is not supported here")
    if not form.get("client_key") or not form.get("client_secret"):
        return _error(req, "invalid_client", "Client key or secret is missing or invalid.")
    refresh = form.get("refresh_token", "")
    open_id = refresh[len(REFRESH_PREFIX):] if refresh.startswith(REFRESH_PREFIX) else ""
    if not open_id or req.state.faults.refresh_refused(PLATFORM, req.endpoint):
        return _error(req, "invalid_grant", "Refresh token is invalid or expired.")
    access = req.state.tokens.issue(PLATFORM, open_id, "act.{n}.issued:{account}")
    return Response(200, {"access_token": access, "expires_in": EXPIRES_IN, "open_id": open_id,
                          "refresh_expires_in": REFRESH_EXPIRES_IN, "refresh_token": refresh, "scope": SCOPES,
                          "token_type": "Bearer"})
