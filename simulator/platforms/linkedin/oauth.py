"""LinkedIn OAuth 2.0 refresh (`POST /oauth/v2/accessToken`, grant_type=refresh_token).

Programmatic refresh tokens (enabled for Community Management apps) look like
`sim-li-refresh:<organization id>` here; the access tokens issued are remembered per
organization. Errors use OAuth's flat `{"error", "error_description"}` body.
"""

from __future__ import annotations

from simulator.platforms.linkedin.common import PLATFORM
from simulator.routing import Request, Response

REFRESH_PREFIX = "sim-li-refresh:"
ACCESS_TTL = 5_183_999      # 60 days
REFRESH_TTL = 31_535_999    # 365 days
SCOPES = "r_organization_social,rw_organization_admin"


def _oauth_error(status: int, error: str, description: str) -> Response:
    return Response(status, {"error": error, "error_description": description})


def token(req: Request) -> Response:
    form = req.form()
    if form.get("grant_type") != "refresh_token":
        return _oauth_error(400, "unsupported_grant_type", f"Invalid grant_type: {form.get('grant_type', '')}")
    if not form.get("client_id") or not form.get("client_secret"):
        return _oauth_error(401, "invalid_client", "Client authentication failed")
    refresh = form.get("refresh_token", "")
    org = refresh[len(REFRESH_PREFIX):] if refresh.startswith(REFRESH_PREFIX) else ""
    if not org or req.state.faults.refresh_refused(PLATFORM, req.endpoint):
        return _oauth_error(400, "invalid_request",
                            "The provided authorization grant or refresh token is invalid, expired or revoked")
    access = req.state.tokens.issue(PLATFORM, org, "sim-li-issued:{account}:{n}")
    return Response(200, {"access_token": access, "expires_in": ACCESS_TTL, "refresh_token": refresh,
                          "refresh_token_expires_in": REFRESH_TTL, "scope": SCOPES})
