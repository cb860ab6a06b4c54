"""Instagram Login (Instagram API with Instagram Login): consent, code exchange, long-lived tokens.

  GET  www.instagram.com/oauth/authorize        consent (auto-approved 302); `login_hint` = the user
  POST api.instagram.com/oauth/access_token     code -> short-lived token `IGAAsimS…` (1 hour)
                                                {"access_token", "user_id" (a number, as there), "permissions"}
  GET  graph.instagram.com/access_token         grant_type=ig_exchange_token -> long-lived `IGAAsimL…`
  GET  graph.instagram.com/refresh_access_token grant_type=ig_refresh_token -> a NEW long-lived token
Long-lived tokens last 60 days on the world clock and can be refreshed once 24 hours old; an
expired one answers 190/463 everywhere (API calls are checked by the server, refresh here).
The code exchange errors in api.instagram.com's own flat shape `{"error_type", "code", "error_message"}`.
"""

from __future__ import annotations

from datetime import timedelta

from simulator import consent
from simulator.faults import Fault
from simulator.grants import Grant
from simulator.platforms.instagram import common as c
from simulator.routing import Request, Response

DEFAULT_USER = ("17841400000000001",)
SCOPES = "instagram_business_basic,instagram_business_manage_insights"
SHORT_TTL, LONG_TTL = 3600, 5_184_000
SHORT_PREFIX, LONG_PREFIX = "IGAAsimS", "IGAAsimL"
REFRESH_MIN_AGE = timedelta(hours=24)


def _api_error(message: str) -> Response:
    return Response(400, {"error_type": "OAuthException", "code": 400, "error_message": message})


def authorize(req: Request) -> Response:
    return consent.authorize(req, default_accounts=DEFAULT_USER, default_scope=SCOPES)


def code_exchange(req: Request) -> Response:
    form = req.form()
    if not form.get("client_id") or not form.get("client_secret"):
        return _api_error("Missing required field client_id or client_secret")
    if form.get("grant_type") != "authorization_code":
        return _api_error("Invalid grant_type")
    found = req.state.grants.redeem(c.PLATFORM, form.get("code", ""), client_id=form["client_id"],
                                    redirect_uri=form.get("redirect_uri", ""), verifier=form.get("code_verifier"))
    if found == "redirect_uri":
        return _api_error("Error validating verification code. Please make sure your redirect_uri is identical "
                          "to the one you used in the OAuth dialog request")
    if isinstance(found, str):
        return _api_error("This authorization code has been used" if found == "unknown"
                          else "Invalid authorization code")
    user, scope = found.accounts[0], found.scope.replace(" ", ",")
    token = req.state.grants.issue(c.PLATFORM, "access", (user,), client_id=form["client_id"], scope=scope,
                                   ttl=SHORT_TTL, prefix=SHORT_PREFIX)
    return Response(200, {"access_token": token, "user_id": int(user) if user.isdigit() else user,
                          "permissions": scope})


def _long_lived(req: Request, user: str, client_id: str, scope: str) -> Response:
    token = req.state.grants.issue(c.PLATFORM, "access", (user,), client_id=client_id, scope=scope, ttl=LONG_TTL,
                                   prefix=LONG_PREFIX, long=True)
    return Response(200, {"access_token": token, "token_type": "bearer", "expires_in": LONG_TTL})


def _presented(req: Request) -> Response | Grant:
    """The grant of the `access_token` parameter, or Graph's answer for a dead/unknown one."""
    status, grant = req.state.grants.status(c.PLATFORM, req.query.get("access_token"))
    if status == "expired":
        return c.render_fault(Fault("expired_token"), req.endpoint)
    if status == "revoked":
        return c.render_fault(Fault("invalid_token"), req.endpoint)
    if grant is None:
        return c.invalid_token()
    return grant


def exchange(req: Request) -> Response:
    """`GET /access_token?grant_type=ig_exchange_token&client_secret=…&access_token=<short-lived>`."""
    if req.query.get("grant_type") != "ig_exchange_token":
        return c.meta_error(400, 100, "Unsupported grant_type: must be ig_exchange_token")
    if not req.query.get("client_secret"):
        return c.meta_error(400, 100, "Missing client_secret parameter.")
    grant = _presented(req)
    if isinstance(grant, Response):
        return grant
    return _long_lived(req, grant.accounts[0], grant.client_id, grant.scope)


def refresh(req: Request) -> Response:
    """`GET /refresh_access_token?grant_type=ig_refresh_token&access_token=<long-lived>`."""
    if req.query.get("grant_type") != "ig_refresh_token":
        return c.meta_error(400, 100, "Unsupported grant_type: must be ig_refresh_token")
    grant = _presented(req)
    if isinstance(grant, Response):
        return grant
    if not grant.extra.get("long"):
        return c.meta_error(400, 100, "(#100) Only long-lived Instagram User access tokens can be refreshed")
    if req.state.grants.now - grant.issued_at < REFRESH_MIN_AGE:
        return c.meta_error(400, 100, "(#100) The access token can be refreshed only once it is at least 24 "
                                      "hours old")
    return _long_lived(req, grant.accounts[0], grant.client_id, grant.scope)
