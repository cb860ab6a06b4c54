"""TikTok OAuth v2: consent (`GET /v2/auth/authorize/`) and `POST /v2/oauth/token/`.

Form fields client_key, client_secret, grant_type and refresh_token or code + redirect_uri +
code_verifier. Bootstrap refresh tokens `rft.sim:<open_id>` issue access tokens the TokenStore
remembers and come back unchanged. The code flow (PKCE S256 required; TikTok desktop's hex-encoded
SHA-256 challenge is accepted too) issues `act.oauth.…` access tokens (24 h on the world clock) and
`rft.oauth.…` refresh tokens (365 days) that rotate: a refresh answers a new one and spends the
one presented. Errors use the flat OAuth body `{"error", "error_description", "log_id"}` (HTTP 400).
"""

from __future__ import annotations

from simulator import consent
from simulator.platforms.tiktok.common import PLATFORM, log_id
from simulator.routing import Request, Response

REFRESH_PREFIX = "rft.sim:"
ACCESS_PREFIX, ROTATING_PREFIX = "act.oauth.", "rft.oauth."
SCOPES = "user.info.basic,user.info.profile,user.info.stats,video.list"
EXPIRES_IN = 86400
REFRESH_EXPIRES_IN = 31536000
DEFAULT_OPEN_ID = ("-000simConnectOpenId0000000000001",)


def _error(req: Request, error: str, description: str) -> Response:
    return Response(400, {"error": error, "error_description": description, "log_id": log_id(req)})


def authorize(req: Request) -> Response:
    return consent.authorize(req, default_accounts=DEFAULT_OPEN_ID, default_scope=SCOPES,
                             client_param="client_key", pkce_required=True)


def _issue(req: Request, open_id: str, client_key: str, scope: str, refresh_ttl: int) -> Response:
    grants = req.state.grants
    access = grants.issue(PLATFORM, "access", (open_id,), client_id=client_key, scope=scope, ttl=EXPIRES_IN,
                          prefix=ACCESS_PREFIX)
    refresh = grants.issue(PLATFORM, "refresh", (open_id,), client_id=client_key, scope=scope, ttl=refresh_ttl,
                           prefix=ROTATING_PREFIX, rotating=True)
    return Response(200, {"access_token": access, "expires_in": EXPIRES_IN, "open_id": open_id,
                          "refresh_expires_in": refresh_ttl, "refresh_token": refresh, "scope": scope,
                          "token_type": "Bearer"})


def _exchange(req: Request, form: dict[str, str]) -> Response:
    if not form.get("code"):
        return _error(req, "invalid_request", "Authorization code is missing.")
    found = req.state.grants.redeem(PLATFORM, form["code"], client_id=form["client_key"],
                                    redirect_uri=form.get("redirect_uri", ""), verifier=form.get("code_verifier"),
                                    hex_s256=True)
    if found == "verifier":
        return _error(req, "invalid_request", "Code verifier or code challenge is invalid.")
    if found == "redirect_uri":
        return _error(req, "invalid_request", "Redirect URI does not match the one of the authorization request.")
    if isinstance(found, str):
        return _error(req, "invalid_grant", "Authorization code is expired.")
    return _issue(req, found.accounts[0], form["client_key"], found.scope, REFRESH_EXPIRES_IN)


def token(req: Request) -> Response:
    form = req.form()
    grant = form.get("grant_type")
    if grant not in ("refresh_token", "authorization_code"):
        return _error(req, "unsupported_grant_type", f"grant_type {grant!r} is not supported here")
    if not form.get("client_key") or not form.get("client_secret"):
        return _error(req, "invalid_client", "Client key or secret is missing or invalid.")
    if grant == "authorization_code":
        return _exchange(req, form)
    refresh = form.get("refresh_token", "")
    if req.state.faults.refresh_refused(PLATFORM, req.endpoint):
        return _error(req, "invalid_grant", "Refresh token is invalid or expired.")
    if refresh.startswith(ROTATING_PREFIX):
        issued = req.state.grants.use_refresh(PLATFORM, refresh)  # spends it
        if issued is None or issued.client_id != form["client_key"]:
            return _error(req, "invalid_grant", "Refresh token is invalid or expired.")
        remaining = issued.expires_in(req.state.grants.now) or REFRESH_EXPIRES_IN
        return _issue(req, issued.accounts[0], issued.client_id, issued.scope, remaining)
    open_id = refresh[len(REFRESH_PREFIX):] if refresh.startswith(REFRESH_PREFIX) else ""
    if not open_id:
        return _error(req, "invalid_grant", "Refresh token is invalid or expired.")
    access = req.state.tokens.issue(PLATFORM, open_id, "act.{n}.issued:{account}")
    return Response(200, {"access_token": access, "expires_in": EXPIRES_IN, "open_id": open_id,
                          "refresh_expires_in": REFRESH_EXPIRES_IN, "refresh_token": refresh, "scope": SCOPES,
                          "token_type": "Bearer"})
