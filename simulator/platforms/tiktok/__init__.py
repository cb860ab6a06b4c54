"""TikTok: Display API v2, Business API v1.3 (organic accounts) and the OAuth v2 token endpoint.

URL layout on the simulator (base = SimulatorServer.base_url):
  {base}/tiktok/open       ≙ https://open.tiktokapis.com   (v2/video/list/, v2/video/query/,
                                                            v2/user/info/, v2/oauth/token/)
  {base}/tiktok/business   ≙ https://business-api.tiktok.com/open_api/v1.3  (business/get/,
                                                            business/video/list/)
  {base}/tiktok/www        ≙ https://www.tiktok.com         (v2/auth/authorize/: consent, PKCE S256
                                                            required, auto-approved 302)
Endpoint names (stats, fault `endpoints`): video_list, video_query, user_info, oauth_token,
business_get, business_video_list, authorize. Simulated accounts authenticate with `act.sim:<open_id>`
(Display), `bat.sim:<open_id>` (Business) and refresh with `rft.sim:<open_id>`; the code flow issues
rotating `rft.oauth.…` refresh tokens (see oauth.py).
"""

from __future__ import annotations

from simulator.platforms.tiktok import business, display, oauth
from simulator.platforms.tiktok.common import render_fault
from simulator.profiles import FormatSpec, PlatformProfile
from simulator.routing import Platform, Route

OPEN_PREFIX = "/tiktok/open"
BUSINESS_PREFIX = "/tiktok/business"
WWW_PREFIX = "/tiktok/www"

PROFILE = PlatformProfile(
    name="tiktok",
    posts_per_week=(3, 4),
    report_lag_days=1,
    completeness={1: 0.9, 2: 0.98},
    formats=(
        FormatSpec(
            name="short", share=0.85, duration_s=(8, 90), views_mult=2.0,
            decay_days=(0.8, 2.0), tail=(0.003, 0.01),
            like_rate=0.07, comment_rate=0.002, share_rate=0.006, save_rate=0.008,
            follow_rate=0.0015, watch_start=(1.05, 1.3), watch_end=(0.4, 0.75), swipe_away=(0.3, 0.6),
            hashtags=("#fyp",),
        ),
        FormatSpec(
            name="video", share=0.15, duration_s=(181, 600), views_mult=0.8,
            decay_days=(1.5, 4.0), tail=(0.006, 0.02),
            like_rate=0.05, comment_rate=0.003, share_rate=0.004, save_rate=0.01,
            follow_rate=0.002, watch_start=(0.9, 1.0), watch_end=(0.15, 0.35),
        ),
    ),
)


def urls(base: str) -> dict[str, str]:
    return {"tiktok_open": base + OPEN_PREFIX, "tiktok_business": base + BUSINESS_PREFIX,
            "tiktok_token": base + OPEN_PREFIX + "/v2/oauth/token/",
            "tiktok_authorize": base + WWW_PREFIX + "/v2/auth/authorize/"}


PLATFORM = Platform(
    name="tiktok",
    routes=(
        Route("POST", OPEN_PREFIX + "/v2/video/list/", "video_list", display.video_list),
        Route("POST", OPEN_PREFIX + "/v2/video/query/", "video_query", display.video_query),
        Route("GET", OPEN_PREFIX + "/v2/user/info/", "user_info", display.user_info),
        Route("POST", OPEN_PREFIX + "/v2/oauth/token/", "oauth_token", oauth.token, auth=True),
        Route("GET", WWW_PREFIX + "/v2/auth/authorize/", "authorize", oauth.authorize, auth=True),
        Route("GET", BUSINESS_PREFIX + "/business/get/", "business_get", business.business_get),
        Route("GET", BUSINESS_PREFIX + "/business/video/list/", "business_video_list", business.business_video_list),
    ),
    urls=urls,
    render_fault=render_fault,
    profile=PROFILE,
)
