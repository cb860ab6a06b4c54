"""LinkedIn OAuth 2.0: consent (`GET /oauth/v2/authorization`) and `POST /oauth/v2/accessToken`.

Programmatic refresh tokens (enabled for Community Management apps) look like
`sim-li-refresh:<organization id>` for bootstrap accounts; the access tokens issued are remembered
per organization. The code flow issues `AQsim…` access tokens (60 days on the world clock) for
every organization the member administers (the consent's `login_hint`) and an `AQRsim…` refresh
token (365 days) that, as on LinkedIn, does not rotate and keeps its original expiry.
Errors use OAuth's flat `{"error", "error_description"}` body.
"""

from __future__ import annotations

import hashlib

from simulator import consent
from simulator.platforms.linkedin.common import PLATFORM
from simulator.routing import Request, Response

REFRESH_PREFIX = "sim-li-refresh:"
ACCESS_PREFIX, ISSUED_REFRESH_PREFIX = "AQsim", "AQRsim"
ACCESS_TTL = 5_183_999      # 60 days (bootstrap refresh answers)
REFRESH_TTL = 31_535_999    # 365 days
CODE_ACCESS_TTL, CODE_REFRESH_TTL = 5_184_000, 31_536_000
SCOPES = "r_organization_social,rw_organization_admin"
DEFAULT_ORGS = ("99000001", "99000002")
INVALID_GRANT = "The provided authorization grant or refresh token is invalid, expired or revoked"


def _oauth_error(status: int, error: str, description: str) -> Response:
    return Response(status, {"error": error, "error_description": description})


def person_id(accounts: tuple[str, ...]) -> str:
    """The member who consented: a stable person id (LinkedIn's are short opaque strings)."""
    return "sim" + hashlib.sha1(",".join(accounts).encode()).hexdigest()[:7]


def authorize(req: Request) -> Response:
    return consent.authorize(req, default_accounts=DEFAULT_ORGS, default_scope=SCOPES)


def _access(req: Request, orgs: tuple[str, ...], client_id: str, scope: str) -> str:
    return req.state.grants.issue(PLATFORM, "access", orgs, client_id=client_id, scope=scope, ttl=CODE_ACCESS_TTL,
                                  prefix=ACCESS_PREFIX, person=person_id(orgs))


def _exchange(req: Request, form: dict[str, str]) -> Response:
    found = req.state.grants.redeem(PLATFORM, form.get("code", ""), client_id=form["client_id"],
                                    redirect_uri=form.get("redirect_uri", ""), verifier=form.get("code_verifier"))
    if isinstance(found, str):
        return _oauth_error(400, "invalid_request", "Unable to retrieve access token: appid/redirect uri/code "
                                                    "verifier does not match authorization code. Or authorization "
                                                    "code expired. Or external member binding exists")
    scope = found.scope.replace(" ", ",")
    refresh = req.state.grants.issue(PLATFORM, "refresh", found.accounts, client_id=form["client_id"], scope=scope,
                                     ttl=CODE_REFRESH_TTL, prefix=ISSUED_REFRESH_PREFIX)
    return Response(200, {"access_token": _access(req, found.accounts, form["client_id"], scope),
                          "expires_in": CODE_ACCESS_TTL, "refresh_token": refresh,
                          "refresh_token_expires_in": CODE_REFRESH_TTL, "scope": scope})


def token(req: Request) -> Response:
    form = req.form()
    grant = form.get("grant_type")
    if grant not in ("refresh_token", "authorization_code"):
        return _oauth_error(400, "unsupported_grant_type", f"Invalid grant_type: {form.get('grant_type', '')}")
    if not form.get("client_id") or not form.get("client_secret"):
        return _oauth_error(401, "invalid_client", "Client authentication failed")
    if grant == "authorization_code":
        return _exchange(req, form)
    refresh = form.get("refresh_token", "")
    if req.state.faults.refresh_refused(PLATFORM, req.endpoint):
        return _oauth_error(400, "invalid_request", INVALID_GRANT)
    if refresh.startswith(ISSUED_REFRESH_PREFIX):
        issued = req.state.grants.use_refresh(PLATFORM, refresh)
        if issued is None:
            return _oauth_error(400, "invalid_request", INVALID_GRANT)
        return Response(200, {"access_token": _access(req, issued.accounts, issued.client_id, issued.scope),
                              "expires_in": CODE_ACCESS_TTL, "refresh_token": refresh,
                              "refresh_token_expires_in": issued.expires_in(req.state.grants.now),
                              "scope": issued.scope})
    org = refresh[len(REFRESH_PREFIX):] if refresh.startswith(REFRESH_PREFIX) else ""
    if not org:
        return _oauth_error(400, "invalid_request", INVALID_GRANT)
    access = req.state.tokens.issue(PLATFORM, org, "sim-li-issued:{account}:{n}")
    return Response(200, {"access_token": access, "expires_in": ACCESS_TTL, "refresh_token": refresh,
                          "refresh_token_expires_in": REFRESH_TTL, "scope": SCOPES})
