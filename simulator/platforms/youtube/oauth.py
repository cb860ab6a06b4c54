"""Google OAuth 2.0: the consent endpoint (`GET /o/oauth2/v2/auth`) and `POST /oauth2/token`.

Two kinds of refresh token work at the token endpoint:
- bootstrap `sim-refresh:<channel_id>` (accounts configured without credentials): access tokens
  `sim-access:<channel_id>:<n>` from the TokenStore, never expiring;
- tokens of the code flow (`tidemark connect`): the code exchange answers `ya29.sim-…` access
  tokens (3599 s on the world clock) and a `1//sim-…` refresh token for the channels the consent
  covered; like Google, refreshing does not rotate it and the answer carries no refresh_token.
Installed-app (loopback) clients always get a refresh token. Errors use OAuth's flat
`{"error", "error_description"}` body, not the Google API envelope, exactly like the real endpoint.
"""

from __future__ import annotations

import base64

from simulator import consent
from simulator.platforms.youtube.common import PLATFORM
from simulator.routing import Request, Response

REFRESH_PREFIX = "sim-refresh:"
ACCESS_PREFIX, ISSUED_REFRESH_PREFIX = "ya29.sim-", "1//sim-"
SCOPES = "https://www.googleapis.com/auth/youtube.readonly https://www.googleapis.com/auth/yt-analytics.readonly"
EXPIRES_IN = 3599
DEFAULT_CHANNELS = ("UCsimConnect000000000001",)
NO_CACHE = {"Cache-Control": "no-cache, no-store, max-age=0, must-revalidate"}


def _oauth_error(status: int, error: str, description: str) -> Response:
    return Response(status, {"error": error, "error_description": description}, dict(NO_CACHE))


def _client_credentials(req: Request, form: dict[str, str]) -> tuple[str, str]:
    auth = req.headers.get("authorization", "")
    if auth[:6].lower() == "basic ":
        try:
            cid, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
            return cid, secret
        except ValueError:
            return "", ""
    return form.get("client_id", ""), form.get("client_secret", "")


def authorize(req: Request) -> Response:
    return consent.authorize(req, default_accounts=DEFAULT_CHANNELS, default_scope=SCOPES)


def _access(req: Request, channels: tuple[str, ...], client_id: str, scope: str) -> str:
    return req.state.grants.issue(PLATFORM, "access", channels, client_id=client_id, scope=scope,
                                  ttl=EXPIRES_IN, prefix=ACCESS_PREFIX)


def _exchange(req: Request, form: dict[str, str], client_id: str) -> Response:
    found = req.state.grants.redeem(PLATFORM, form.get("code", ""), client_id=client_id,
                                    redirect_uri=form.get("redirect_uri", ""), verifier=form.get("code_verifier"))
    if found == "redirect_uri":
        return _oauth_error(400, "redirect_uri_mismatch", "Bad Request")
    if found == "verifier":
        return _oauth_error(400, "invalid_grant", "Invalid code verifier." if form.get("code_verifier")
                            else "Missing code verifier.")
    if isinstance(found, str):
        return _oauth_error(400, "invalid_grant", "Bad Request")
    refresh = req.state.grants.issue(PLATFORM, "refresh", found.accounts, client_id=client_id, scope=found.scope,
                                     ttl=None, prefix=ISSUED_REFRESH_PREFIX)
    return Response(200, {"access_token": _access(req, found.accounts, client_id, found.scope),
                          "expires_in": EXPIRES_IN, "refresh_token": refresh, "scope": found.scope,
                          "token_type": "Bearer"}, dict(NO_CACHE))


def token(req: Request) -> Response:
    form = req.form()
    grant = form.get("grant_type", "")
    if grant not in ("refresh_token", "authorization_code"):
        return _oauth_error(400, "unsupported_grant_type", f"Invalid grant_type: {grant}")
    client_id, _secret = _client_credentials(req, form)
    if not client_id:
        return _oauth_error(401, "invalid_client", "The OAuth client was not found.")
    if grant == "authorization_code":
        return _exchange(req, form, client_id)
    refresh = form.get("refresh_token", "")
    if req.state.faults.refresh_refused(PLATFORM, req.endpoint):
        return _oauth_error(400, "invalid_grant", "Token has been expired or revoked.")
    if refresh.startswith(ISSUED_REFRESH_PREFIX):
        issued = req.state.grants.use_refresh(PLATFORM, refresh)
        if issued is None:
            return _oauth_error(400, "invalid_grant", "Token has been expired or revoked.")
        return Response(200, {"access_token": _access(req, issued.accounts, client_id, issued.scope),
                              "expires_in": EXPIRES_IN, "scope": issued.scope, "token_type": "Bearer"},
                        dict(NO_CACHE))
    channel = refresh[len(REFRESH_PREFIX):] if refresh.startswith(REFRESH_PREFIX) else ""
    if not channel:
        return _oauth_error(400, "invalid_grant", "Token has been expired or revoked.")
    access = req.state.tokens.issue(PLATFORM, channel)
    return Response(200, {"access_token": access, "expires_in": EXPIRES_IN, "scope": SCOPES,
                          "token_type": "Bearer"}, dict(NO_CACHE))
