"""Instagram Graph API (Business/Creator) on both login hosts.

URL layout on the simulator (base = SimulatorServer.base_url; `{v}` is the API version, e.g. v26.0):
  {base}/instagram/fb/{v}/...   graph.facebook.com (Facebook Login)
  {base}/instagram/ig/{v}/...   graph.instagram.com (Instagram Login, `/me` works)
  GET /me | /{node} | /{ig-user-id}/media | /{ig-user-id}/stories | /{node}/insights
Instagram Login (see oauth.py), `instagram_graph` = `instagram_graph_instagram` (graph.instagram.com):
  GET  {base}/instagram/www/oauth/authorize     ≙ https://www.instagram.com/oauth/authorize
  POST {base}/instagram/api/oauth/access_token  ≙ https://api.instagram.com/oauth/access_token
  GET  {base}/instagram/ig/access_token | /refresh_access_token   (also under /{v}/)
Endpoint names (stats, fault `endpoints`): me, node, media, stories, insights, authorize, access_token,
ig_exchange_token, ig_refresh_token.
Tokens: `sim-ig:<ig-user-id>` (as `access_token=` or Bearer), Instagram Login `IGAAsim…` tokens (on
the graph.instagram.com host). Extra fault keys: see common.py.
"""

from __future__ import annotations

from simulator.platforms.instagram import media, oauth, user
from simulator.platforms.instagram.common import render_fault
from simulator.platforms.instagram.profile import INSTAGRAM
from simulator.routing import Platform, Route

PREFIXES = {"instagram_graph_facebook": "/instagram/fb", "instagram_graph_instagram": "/instagram/ig"}
IG = PREFIXES["instagram_graph_instagram"]
AUTHORIZE_PATH, TOKEN_PATH = "/instagram/www/oauth/authorize", "/instagram/api/oauth/access_token"


def urls(base: str) -> dict[str, str]:
    return {**{name: base + prefix for name, prefix in PREFIXES.items()}, "instagram_graph": base + IG,
            "instagram_authorize": base + AUTHORIZE_PATH, "instagram_token": base + TOKEN_PATH}


def _routes() -> tuple[Route, ...]:
    routes = []
    for prefix in PREFIXES.values():
        root = prefix + "/{version}"
        routes += [
            Route("GET", root + "/me", "me", user.me),
            Route("GET", root + "/{node}", "node", user.node),
            Route("GET", root + "/{node}/media", "media", media.media_list),
            Route("GET", root + "/{node}/stories", "stories", media.stories),
            Route("GET", root + "/{node}/insights", "insights", user.insights),
        ]
    for root in (IG, IG + "/{version}"):  # graph.instagram.com serves these with and without a version
        routes += [Route("GET", root + "/access_token", "ig_exchange_token", oauth.exchange, auth=True),
                   Route("GET", root + "/refresh_access_token", "ig_refresh_token", oauth.refresh, auth=True)]
    routes += [Route("GET", AUTHORIZE_PATH, "authorize", oauth.authorize, auth=True),
               Route("POST", TOKEN_PATH, "access_token", oauth.code_exchange, auth=True)]
    return tuple(routes)


PLATFORM = Platform(name="instagram", routes=_routes(), urls=urls, render_fault=render_fault,
                    profile=INSTAGRAM)

__all__ = ["INSTAGRAM", "PLATFORM", "urls"]
