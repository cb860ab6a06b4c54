"""X OAuth 2.0 token endpoint (`POST /2/oauth2/token`, refresh_token grant).

Refresh tokens `sim-x-refresh:<user id>` yield user-context access tokens
`sim-x-user:<user id>:<n>` valid 2 hours; like X, the answer carries a rotated refresh token.
Confidential clients authenticate with HTTP Basic, public clients send `client_id` in the form.
"""

from __future__ import annotations

from simulator.platforms.x.common import PLATFORM, REFRESH_PREFIX, USER_TOKEN_FORMAT
from simulator.routing import Request, Response

SCOPES = "tweet.read users.read offline.access"
EXPIRES_IN = 7200


def _error(status: int, error: str, description: str) -> Response:
    return Response(status, {"error": error, "error_description": description})


def token(req: Request) -> Response:
    form = req.form()
    if form.get("grant_type") != "refresh_token":
        return _error(400, "invalid_request", "Missing required parameter [grant_type].")
    if not (req.headers.get("authorization", "").lower().startswith("basic ") or form.get("client_id")):
        return _error(401, "unauthorized_client", "Missing valid authorization header")
    refresh = form.get("refresh_token", "")
    user = refresh[len(REFRESH_PREFIX):] if refresh.startswith(REFRESH_PREFIX) else ""
    if not user or req.state.faults.refresh_refused(PLATFORM, req.endpoint):
        return _error(400, "invalid_request", "Value passed for the token was invalid.")
    access = req.state.tokens.issue(PLATFORM, user, USER_TOKEN_FORMAT)
    return Response(200, {"token_type": "bearer", "expires_in": EXPIRES_IN, "access_token": access,
                          "scope": SCOPES, "refresh_token": refresh})
