"""Facebook Pages: Graph API (any `vNN.0`, e.g. v26.0) — Page node, posts, Reels, videos, insights.

URL layout on the simulator (base = SimulatorServer.base_url; connector base URL `facebook_graph`):
  GET {base}/facebook/{version}/{page-id}                    Page fields (followers_count, fan_count)
  GET {base}/facebook/{version}/{page-id}/posts              also /published_posts
  GET {base}/facebook/{version}/{page-id}/video_reels | /videos
  GET {base}/facebook/{version}/{page-id}/insights           period=day (since/until) or lifetime
  GET {base}/facebook/{version}/{post-id}/insights           post-id = <page-id>_<id>, period=lifetime
  GET {base}/facebook/{version}/{video-id}/video_insights
Facebook Login (see oauth.py):
  GET {base}/facebook/www/dialog/oauth                       ≙ https://www.facebook.com/dialog/oauth
  GET {base}/facebook/oauth/access_token                     also /facebook/{version}/oauth/access_token
  GET {base}/facebook/{version}/me | /me/accounts            the user and the Pages of a user token
Endpoint names (stats, fault `endpoints`): page, posts, video_reels, videos, insights, video_insights,
accounts, access_token, authorize (`/me` stays `page`).
Simulated Page tokens: `sim-fb-page:<page id>` (bootstrap), `EAAsimP…` (Facebook Login).
Facebook-only fault keys: see `gate`.
"""

from __future__ import annotations

from simulator.platforms.facebook import content, gate, insights, oauth
from simulator.platforms.facebook.common import render_fault, render_not_found
from simulator.profiles import FormatSpec, PlatformProfile
from simulator.routing import Platform, Request, Response, Route

PREFIX = "/facebook/{version}/{node}"


def _post_id(key: int) -> str:
    """Graph object ids: 15–16 digit numbers (a post's full id is `<page id>_<this>`)."""
    return str(10**15 + key % (9 * 10**15))


PROFILE = PlatformProfile(
    name="facebook",
    post_id=_post_id,
    posts_per_week=(3, 5),
    report_lag_days=1,  # page insights: yesterday is reported, still incomplete (late data)
    completeness={1: 0.9},
    formats=(
        FormatSpec(name="reel", share=0.3, duration_s=(8, 90), views_mult=2.0, decay_days=(1.0, 2.5),
                   tail=(0.003, 0.01), like_rate=0.03, comment_rate=0.002, share_rate=0.006, save_rate=0.0,
                   follow_rate=0.001, watch_start=(1.0, 1.3), watch_end=(0.4, 0.75), hashtags=("#reels",)),
        FormatSpec(name="video", share=0.15, duration_s=(60, 1200), views_mult=1.0, decay_days=(2.0, 5.0),
                   tail=(0.005, 0.02), like_rate=0.035, comment_rate=0.004, share_rate=0.004, save_rate=0.0,
                   follow_rate=0.002),
        FormatSpec(name="image", share=0.3, duration_s=None, views_mult=0.9, decay_days=(0.6, 1.5),
                   tail=(0.001, 0.005), like_rate=0.05, comment_rate=0.005, share_rate=0.003, save_rate=0.0,
                   follow_rate=0.0006),
        FormatSpec(name="text", share=0.1, duration_s=None, views_mult=0.5, decay_days=(0.4, 1.0),
                   tail=(0.001, 0.003), like_rate=0.04, comment_rate=0.008, share_rate=0.002, save_rate=0.0,
                   follow_rate=0.0004),
        FormatSpec(name="link", share=0.15, duration_s=None, views_mult=0.7, decay_days=(0.5, 1.2),
                   tail=(0.001, 0.004), like_rate=0.02, comment_rate=0.003, share_rate=0.005, save_rate=0.0,
                   follow_rate=0.0003),
    ),
)


def urls(base: str) -> dict[str, str]:
    return {"facebook_graph": base + "/facebook", "facebook_authorize": base + "/facebook/www/dialog/oauth",
            "facebook_token": base + "/facebook/oauth/access_token"}


_page = gate.graph(content.page)


def _me(req: Request) -> Response:
    """`/me`: the person for a user token, else the Page node of a Page token (as before)."""
    req.params.setdefault("node", "me")
    return oauth.me(req) or _page(req)


PLATFORM = Platform(
    name="facebook",
    routes=(
        Route("GET", "/facebook/{version}/{node}", "page", _page),
        Route("GET", "/facebook/{version}/me", "page", _me),  # same endpoint name as before: /me of a Page token
        Route("GET", "/facebook/{version}/me/accounts", "accounts", oauth.accounts),
        Route("GET", "/facebook/www/dialog/oauth", "authorize", oauth.authorize, auth=True),
        Route("GET", "/facebook/oauth/access_token", "access_token", oauth.access_token, auth=True),
        Route("GET", "/facebook/{version}/oauth/access_token", "access_token", oauth.access_token, auth=True),
        Route("GET", PREFIX + "/posts", "posts", gate.graph(content.posts)),
        Route("GET", PREFIX + "/published_posts", "posts", gate.graph(content.posts)),
        Route("GET", PREFIX + "/video_reels", "video_reels", gate.graph(content.video_reels)),
        Route("GET", PREFIX + "/videos", "videos", gate.graph(content.videos)),
        Route("GET", PREFIX + "/insights", "insights", gate.graph(insights.insights)),
        Route("GET", PREFIX + "/video_insights", "video_insights", gate.graph(insights.video_insights)),
    ),
    urls=urls,
    render_fault=render_fault,
    render_not_found=render_not_found,
    profile=PROFILE,
)
