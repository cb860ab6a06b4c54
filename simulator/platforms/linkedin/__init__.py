"""LinkedIn: Community Management REST API (`/rest/…`, Rest.li 2.0) and the OAuth refresh endpoint.

URL layout on the simulator (base = SimulatorServer.base_url):
  GET  {base}/linkedin/rest/posts | organizationalEntityShareStatistics |
       organizationalEntityFollowerStatistics | networkSizes/{urn} | videoAnalytics | organizationAcls
  POST {base}/linkedin/oauth/v2/accessToken     ≙ https://www.linkedin.com/oauth/v2/accessToken
  GET  {base}/linkedin/oauth/v2/authorization   ≙ https://www.linkedin.com/oauth/v2/authorization
                                                  (consent, auto-approved 302)
Endpoint names (stats, fault `endpoints`): posts, organizationalEntityShareStatistics,
organizationalEntityFollowerStatistics, networkSizes, videoAnalytics, organizationAcls, accessToken,
authorization.
Fault keys of its own: see `common.FAULT_KEYS`.
"""

from __future__ import annotations

from simulator.platforms.linkedin import acls, oauth, posts, stats
from simulator.platforms.linkedin.common import render_fault
from simulator.profiles import FormatSpec, PlatformProfile
from simulator.routing import Platform, Route

REST_PREFIX = "/linkedin/rest"
TOKEN_PATH = "/linkedin/oauth/v2/accessToken"
AUTHORIZE_PATH = "/linkedin/oauth/v2/authorization"


def _post_urn(key: int) -> str:
    """Posts made through the Posts API are `urn:li:share:` or `urn:li:ugcPost:` (19 digits)."""
    kind = "ugcPost" if key % 3 == 0 else "share"
    return f"urn:li:{kind}:{7 * 10**18 + key % (10**18)}"


def _fmt(name: str, share: float, mult: float, like: float, comment: float, repost: float,
         click: float) -> FormatSpec:
    return FormatSpec(name=name, share=share, duration_s=(20, 600) if name == "video" else None, views_mult=mult,
                      decay_days=(0.8, 2.5), tail=(0.002, 0.008), like_rate=like, comment_rate=comment,
                      share_rate=repost, save_rate=click, follow_rate=0.0008)


PROFILE = PlatformProfile(
    name="linkedin",
    post_id=_post_urn,
    posts_per_week=(2, 4),
    formats=(
        _fmt("image", 0.35, 1.0, 0.025, 0.002, 0.002, 0.004),
        _fmt("text", 0.2, 0.7, 0.02, 0.003, 0.001, 0.001),
        _fmt("link", 0.2, 0.8, 0.012, 0.001, 0.002, 0.008),
        _fmt("video", 0.15, 1.3, 0.02, 0.002, 0.002, 0.003),
        _fmt("carousel", 0.1, 1.2, 0.03, 0.003, 0.003, 0.005),
    ),
)


def urls(base: str) -> dict[str, str]:
    return {"linkedin_rest": base + REST_PREFIX, "linkedin_token": base + TOKEN_PATH,
            "linkedin_authorize": base + AUTHORIZE_PATH}


PLATFORM = Platform(
    name="linkedin",
    routes=(
        Route("GET", REST_PREFIX + "/posts", "posts", posts.posts),
        Route("GET", REST_PREFIX + "/organizationalEntityShareStatistics", "organizationalEntityShareStatistics",
              stats.share_stats),
        Route("GET", REST_PREFIX + "/organizationalEntityFollowerStatistics",
              "organizationalEntityFollowerStatistics", stats.follower_stats),
        Route("GET", REST_PREFIX + "/networkSizes/{urn}", "networkSizes", stats.network_size),
        Route("GET", REST_PREFIX + "/videoAnalytics", "videoAnalytics", stats.video_analytics),
        Route("GET", REST_PREFIX + "/organizationAcls", "organizationAcls", acls.organization_acls),
        Route("POST", TOKEN_PATH, "accessToken", oauth.token, auth=True),
        Route("GET", AUTHORIZE_PATH, "authorization", oauth.authorize, auth=True),
    ),
    urls=urls,
    render_fault=render_fault,
    profile=PROFILE,
)
