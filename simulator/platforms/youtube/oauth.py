"""Google OAuth 2.0 token endpoint (refresh-token grant only), as `POST /oauth2/token`.

The simulator accepts refresh tokens shaped `sim-refresh:<channel_id>` and
issues access tokens `sim-access:<channel_id>:<n>`; the token store remembers
which channel each access token belongs to, which is how `mine=true` and
`ids=channel==MINE` resolve. Errors use OAuth's flat `{"error", "error_description"}`
body, not the Google API envelope, exactly like the real endpoint.
"""

from __future__ import annotations

import base64

from simulator.platforms.youtube.common import PLATFORM
from simulator.routing import Request, Response

REFRESH_PREFIX = "sim-refresh:"
SCOPES = "https://www.googleapis.com/auth/youtube.readonly https://www.googleapis.com/auth/yt-analytics.readonly"
EXPIRES_IN = 3599


def _oauth_error(status: int, error: str, description: str) -> Response:
    return Response(status, {"error": error, "error_description": description},
                    {"Cache-Control": "no-cache, no-store, max-age=0, must-revalidate"})


def _client_credentials(req: Request, form: dict[str, str]) -> tuple[str, str]:
    auth = req.headers.get("authorization", "")
    if auth[:6].lower() == "basic ":
        try:
            cid, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
            return cid, secret
        except ValueError:
            return "", ""
    return form.get("client_id", ""), form.get("client_secret", "")


def token(req: Request) -> Response:
    form = req.form()
    grant = form.get("grant_type", "")
    if grant != "refresh_token":
        return _oauth_error(400, "unsupported_grant_type", f"Invalid grant_type: {grant}")
    client_id, _secret = _client_credentials(req, form)
    if not client_id:
        return _oauth_error(401, "invalid_client", "The OAuth client was not found.")
    refresh = form.get("refresh_token", "")
    channel = refresh[len(REFRESH_PREFIX):] if refresh.startswith(REFRESH_PREFIX) else ""
    if not channel or req.state.faults.refresh_refused(PLATFORM, req.endpoint):
        return _oauth_error(400, "invalid_grant", "Token has been expired or revoked.")
    access = req.state.tokens.issue(PLATFORM, channel)
    return Response(200, {"access_token": access, "expires_in": EXPIRES_IN, "scope": SCOPES,
                          "token_type": "Bearer"},
                    {"Cache-Control": "no-cache, no-store, max-age=0, must-revalidate"})
