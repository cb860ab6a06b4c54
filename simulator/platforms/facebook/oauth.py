"""Facebook Login: the OAuth dialog, Graph's `GET /oauth/access_token`, `/me` and `/me/accounts`.

  GET /dialog/oauth            consent (auto-approved 302); `login_hint` = the Pages granted
  GET /oauth/access_token      client_id + redirect_uri + client_secret + code -> user token
                               (`EAAsimU…`, expires_in 5183944 as Graph answers a code exchange);
                               grant_type=fb_exchange_token -> a new long-lived one (`EAAsimL…`, 60 days)
  GET /me/accounts             the granted Pages, each with its Page token (`EAAsimP…`; no expiry when
                               read with a long-lived user token, else the user token's)
Every token lives on the world clock and dies with `POST /_sim/revoke` of one of its Pages.
Errors are Graph's envelope (`error.code` 100 with the OAuth subcodes, 101, 190).
"""

from __future__ import annotations

import hashlib
import threading

from simulator import consent
from simulator.grants import Grant
from simulator.platforms.facebook import common as c
from simulator.platforms.facebook.gate import VERSION
from simulator.routing import Request, Response
from simulator.text import account_name

DEFAULT_PAGES = ("9990000000000001", "9990000000000002")
SCOPES = "pages_show_list,pages_read_engagement,read_insights,business_management"
CODE_TTL, LONG_TTL = 5_183_944, 5_184_000
USER_PREFIX, LONG_PREFIX, PAGE_PREFIX = "EAAsimU", "EAAsimL", "EAAsimP"
_PAGE_TOKENS = threading.Lock()  # one Page token per (user token, Page), also under concurrent reads
TASKS = ["ANALYZE", "ADVERTISE", "MESSAGING", "MODERATE", "CREATE_CONTENT", "MANAGE"]


def user_id(pages: tuple[str, ...]) -> str:
    """The app-scoped id of the person who consented (stable per set of Pages)."""
    return "10" + str(int(hashlib.sha1(",".join(pages).encode()).hexdigest(), 16))[:14]


def authorize(req: Request) -> Response:
    return consent.authorize(req, default_accounts=DEFAULT_PAGES, default_scope=SCOPES)


def _user_token(req: Request, pages: tuple[str, ...], client_id: str, scope: str, long: bool) -> Response:
    ttl = LONG_TTL if long else CODE_TTL
    token = req.state.grants.issue(c.PLATFORM, "access", pages, client_id=client_id, scope=scope, ttl=ttl,
                                   prefix=LONG_PREFIX if long else USER_PREFIX, user=user_id(pages), long=long,
                                   page_tokens={})
    return Response(200, {"access_token": token, "token_type": "bearer", "expires_in": ttl})


def access_token(req: Request) -> Response:
    q = req.query
    if not q.get("client_id"):
        return c.graph_error(101, "Error validating application. Invalid application ID.")
    if not q.get("client_secret"):
        return c.graph_error(1, "Missing client_secret parameter.")
    if q.get("grant_type") == "fb_exchange_token":
        user = req.state.grants.valid(c.PLATFORM, q.get("fb_exchange_token"))
        if user is None or "user" not in user.extra:
            return c.invalid_token()
        return _user_token(req, user.accounts, q["client_id"], user.scope, long=True)
    if not q.get("code"):
        return c.graph_error(100, "Missing authorization code")
    if not q.get("redirect_uri"):
        return c.graph_error(100, "Missing redirect_uri parameter.", subcode=36008)
    found = req.state.grants.redeem(c.PLATFORM, q["code"], client_id=q["client_id"],
                                    redirect_uri=q["redirect_uri"], verifier=q.get("code_verifier"))
    if found == "redirect_uri":
        return c.graph_error(100, "Error validating verification code. Please make sure your redirect_uri is "
                                  "identical to the one you used in the OAuth dialog request", subcode=36008)
    if found == "expired":
        return c.graph_error(100, "This authorization code has expired.", subcode=36007)
    if isinstance(found, str):
        return c.graph_error(100, "This authorization code has been used or is invalid.", subcode=36009)
    return _user_token(req, found.accounts, q["client_id"], found.scope, long=False)


def _user(req: Request) -> Grant | Response:
    grant = req.state.grants.valid(c.PLATFORM, req.bearer)
    if grant is None or "user" not in grant.extra:
        if c.page_of_token(req) is not None:  # a Page token where a user token is needed
            return c.graph_error(100, "(#100) Tried accessing nonexisting field (accounts) on node type (Page)")
        return c.invalid_token()
    return grant


def me(req: Request) -> Response | None:
    """`/me` read with a user token: the person (None: not a user token, the Page node answers)."""
    grant = req.state.grants.valid(c.PLATFORM, req.bearer)
    if grant is None or "user" not in grant.extra or not VERSION.match(req.params.get("version", "")):
        return None
    return Response(200, {"id": grant.extra["user"], "name": "Sim Connect User"})


def accounts(req: Request) -> Response:
    if not VERSION.match(req.params.get("version", "")):
        return c.graph_error(2500, f"Unknown path components: /{req.params.get('version', '')}")
    grant = _user(req)
    if isinstance(grant, Response):
        return grant
    ttl = None if grant.extra["long"] else grant.expires_in(req.state.grants.now)
    cache = grant.extra["page_tokens"]
    items = []
    for page in grant.accounts:
        with _PAGE_TOKENS:
            if page not in cache:
                cache[page] = req.state.grants.issue(c.PLATFORM, "access", (page,), client_id=grant.client_id,
                                                     scope=grant.scope, ttl=ttl, prefix=PAGE_PREFIX)
        items.append({"access_token": cache[page], "category": "Digital creator",
                      "category_list": [{"id": "2700", "name": "Digital creator"}],
                      "name": account_name(c.account(req, page)), "id": page, "tasks": list(TASKS)})
    size = c.limit_param(req)
    return size if isinstance(size, Response) else c.paged(req, items, size)
