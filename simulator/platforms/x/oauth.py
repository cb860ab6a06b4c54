"""X OAuth 2.0: consent (`GET /i/oauth2/authorize`), `POST /2/oauth2/token`, `POST /2/oauth2/revoke`.

Bootstrap refresh tokens `sim-x-refresh:<user id>` yield user-context access tokens
`sim-x-user:<user id>:<n>` and come back unchanged (they never rotate).
The code flow (PKCE S256 required, as X does) issues `sim-x-at.…` access tokens (2 hours on the
world clock) and, when the consent included `offline.access` (as on X), a `sim-x-rt.…` refresh
token. Those rotate: each refresh answers a new one and spends the one presented, whose reuse is
refused with X's invalid-token answer. Access tokens issued earlier live until their own expiry.
Confidential clients authenticate with HTTP Basic, public clients send `client_id` in the form.
"""

from __future__ import annotations

import base64

from simulator import consent
from simulator.platforms.x.common import PLATFORM, REFRESH_PREFIX, USER_TOKEN_FORMAT
from simulator.routing import Request, Response

SCOPES = "tweet.read users.read offline.access"
EXPIRES_IN = 7200
ACCESS_PREFIX, ROTATING_PREFIX = "sim-x-at.", "sim-x-rt."
DEFAULT_USER = ("1790000000000000001",)
INVALID_TOKEN = "Value passed for the token was invalid."


def _error(status: int, error: str, description: str) -> Response:
    return Response(status, {"error": error, "error_description": description})


def _client_id(req: Request, form: dict[str, str]) -> str:
    """Basic auth (confidential clients) wins over the form's client_id (public clients)."""
    auth = req.headers.get("authorization", "")
    if auth[:6].lower() == "basic ":
        try:
            return base64.b64decode(auth[6:]).decode().partition(":")[0]
        except ValueError:
            return ""
    return form.get("client_id", "")


def authorize(req: Request) -> Response:
    return consent.authorize(req, default_accounts=DEFAULT_USER, default_scope=SCOPES, pkce_required=True)


def _issue(req: Request, user: str, client_id: str, scope: str) -> dict:
    grants = req.state.grants
    body = {"token_type": "bearer", "expires_in": EXPIRES_IN,
            "access_token": grants.issue(PLATFORM, "access", (user,), client_id=client_id, scope=scope,
                                         ttl=EXPIRES_IN, prefix=ACCESS_PREFIX),
            "scope": scope}
    if "offline.access" in scope.split():
        body["refresh_token"] = grants.issue(PLATFORM, "refresh", (user,), client_id=client_id, scope=scope,
                                             ttl=None, prefix=ROTATING_PREFIX, rotating=True)
    return body


def _exchange(req: Request, form: dict[str, str], client_id: str) -> Response:
    for name in ("code", "redirect_uri", "code_verifier"):
        if not form.get(name):
            return _error(400, "invalid_request", f"Missing required parameter [{name}].")
    found = req.state.grants.redeem(PLATFORM, form["code"], client_id=client_id, redirect_uri=form["redirect_uri"],
                                    verifier=form["code_verifier"])
    if isinstance(found, str):
        return _error(400, "invalid_request", INVALID_TOKEN)
    return Response(200, _issue(req, found.accounts[0], client_id, found.scope))


def token(req: Request) -> Response:
    form = req.form()
    grant = form.get("grant_type")
    if grant not in ("refresh_token", "authorization_code"):
        return _error(400, "invalid_request", "Missing required parameter [grant_type].")
    client_id = _client_id(req, form)
    if not client_id:
        return _error(401, "unauthorized_client", "Missing valid authorization header")
    if grant == "authorization_code":
        return _exchange(req, form, client_id)
    refresh = form.get("refresh_token", "")
    if req.state.faults.refresh_refused(PLATFORM, req.endpoint):
        return _error(400, "invalid_request", INVALID_TOKEN)
    if refresh.startswith(ROTATING_PREFIX):
        issued = req.state.grants.use_refresh(PLATFORM, refresh)  # spends it
        if issued is None or issued.client_id != client_id:
            return _error(400, "invalid_request", INVALID_TOKEN)
        return Response(200, _issue(req, issued.accounts[0], client_id, issued.scope))
    user = refresh[len(REFRESH_PREFIX):] if refresh.startswith(REFRESH_PREFIX) else ""
    if not user:
        return _error(400, "invalid_request", INVALID_TOKEN)
    access = req.state.tokens.issue(PLATFORM, user, USER_TOKEN_FORMAT)
    return Response(200, {"token_type": "bearer", "expires_in": EXPIRES_IN, "access_token": access,
                          "scope": SCOPES, "refresh_token": refresh})


def revoke(req: Request) -> Response:
    """RFC 7009 as X answers it: `{"revoked": true}`, also for a token that was already dead."""
    form = req.form()
    if not _client_id(req, form):
        return _error(401, "unauthorized_client", "Missing valid authorization header")
    token_ = form.get("token", "")
    if not token_:
        return _error(400, "invalid_request", "Missing required parameter [token].")
    req.state.grants.revoke_token(PLATFORM, token_) or req.state.tokens.revoke(PLATFORM, token_)
    return Response(200, {"revoked": True})
