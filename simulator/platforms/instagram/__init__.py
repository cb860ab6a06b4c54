"""Instagram Graph API (Business/Creator) on both login hosts.

URL layout on the simulator (base = SimulatorServer.base_url; `{v}` is the API version, e.g. v26.0):
  {base}/instagram/fb/{v}/...   graph.facebook.com (Facebook Login)
  {base}/instagram/ig/{v}/...   graph.instagram.com (Instagram Login, `/me` works)
  GET /me | /{node} | /{ig-user-id}/media | /{ig-user-id}/stories | /{node}/insights
Endpoint names (stats, fault `endpoints`): me, node, media, stories, insights.
Tokens: `sim-ig:<ig-user-id>` (as `access_token=` or Bearer). Extra fault keys: see common.py.
"""

from __future__ import annotations

from simulator.platforms.instagram import media, user
from simulator.platforms.instagram.common import render_fault
from simulator.platforms.instagram.profile import INSTAGRAM
from simulator.routing import Platform, Route

PREFIXES = {"instagram_graph_facebook": "/instagram/fb", "instagram_graph_instagram": "/instagram/ig"}


def urls(base: str) -> dict[str, str]:
    return {name: base + prefix for name, prefix in PREFIXES.items()}


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
    return tuple(routes)


PLATFORM = Platform(name="instagram", routes=_routes(), urls=urls, render_fault=render_fault,
                    profile=INSTAGRAM)

__all__ = ["INSTAGRAM", "PLATFORM", "urls"]
