"""The authorization endpoint every platform shares: an auto-approved consent screen.

Real consent pages are HTML for a human; `tidemark connect` only cares about the redirect that
follows, so the simulated user approves at once and the answer is the `302` a browser would
follow to the loopback listener: `Location: <redirect_uri>?code=…&state=…`. What a real server
refuses is refused the same way (RFC 6749 §4.1.2.1): a request whose redirect_uri is unusable
answers 400 (never redirect to an unknown place), any other invalid request redirects with
`error=invalid_request`. `consent_denied` (fault key) plays the user clicking "Cancel".

Who the user is: `login_hint` = comma-separated account ids the grant covers (channels, Pages,
organizations, or the single user), else the platform's default accounts.
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from simulator.routing import Request, Response

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


def loopback(uri: str) -> bool:
    """An http URL on a loopback host (any port, no fragment): where a CLI can listen."""
    try:
        parts = urlsplit(uri)
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        return False
    return parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS and not parts.fragment


def redirect(uri: str, params: dict[str, str]) -> Response:
    sep = "&" if "?" in uri else "?"
    return Response(302, None, {"Location": uri + sep + urlencode(params), "Cache-Control": "no-store"})


def authorize(req: Request, *, default_accounts: tuple[str, ...], default_scope: str,
              client_param: str = "client_id", pkce_required: bool = False,
              extra: tuple[str, ...] = ()) -> Response:
    """Validate an authorization request and answer the redirect (code, or error).

    `extra`: query parameters the platform's consent remembers with the code (e.g. Google's
    `access_type`, which decides whether the exchange returns a refresh token).
    """
    q = req.query
    redirect_uri = q.get("redirect_uri", "")
    if not loopback(redirect_uri):
        return Response(400, {"error": "invalid_request",
                              "error_description": "redirect_uri must be a loopback http URL "
                                                   "(http://127.0.0.1:<port>/…, localhost or [::1])"})
    state = q.get("state", "")

    def fail(error: str, description: str) -> Response:
        params = {"error": error, "error_description": description}
        return redirect(redirect_uri, {**params, "state": state} if state else params)

    if q.get("response_type") != "code":
        return fail("invalid_request", "response_type must be 'code'")
    client_id = q.get(client_param, "")
    if not client_id:
        return fail("invalid_request", f"Missing required parameter: {client_param}")
    if not state:
        return fail("invalid_request", "Missing required parameter: state")
    challenge = q.get("code_challenge") or None
    method = q.get("code_challenge_method") or ("plain" if challenge else None)
    if pkce_required and challenge is None:
        return fail("invalid_request", "Missing required parameter: code_challenge")
    if challenge is not None and method not in ("S256", "plain"):
        return fail("invalid_request", f"Unsupported code_challenge_method: {method}")
    if pkce_required and method != "S256":
        return fail("invalid_request", "code_challenge_method must be S256")
    if req.state.faults.consent_denied(req.platform, req.endpoint):
        return fail("access_denied", "The user denied the request.")
    hint = [a.strip() for a in q.get("login_hint", "").split(",") if a.strip()]
    code = req.state.grants.new_code(
        req.platform, client_id=client_id, redirect_uri=redirect_uri, challenge=challenge, method=method,
        accounts=tuple(hint) or default_accounts, scope=q.get("scope") or default_scope,
        **{k: q[k] for k in extra if k in q})
    return redirect(redirect_uri, {"code": code, "state": state})
