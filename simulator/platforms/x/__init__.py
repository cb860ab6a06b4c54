"""X (Twitter) API v2: users lookup, user timeline, OAuth 2.0 token endpoint.

URL layout on the simulator (base = SimulatorServer.base_url):
  GET  {base}/x/2/users/{id}          user lookup (user.fields=public_metrics, ...)
  GET  {base}/x/2/users/by/username/{username}   the same by handle (competitors; `lookup.py`)
  GET  {base}/x/2/users/me           the user of a user-context token
  GET  {base}/x/2/users/{id}/tweets   user timeline (tweet.fields, expansions, media.fields, paging)
  POST {base}/x/2/oauth2/token        authorization_code / refresh_token grants (rotating refresh tokens)
  POST {base}/x/2/oauth2/revoke       revoke one token (form `token`, `client_id` or Basic)
  GET  {base}/x/i/oauth2/authorize    ≙ https://x.com/i/oauth2/authorize (consent, PKCE S256 required)
App bearer for public data: `common.APP_BEARER`. Endpoint names: users, users_me, user_tweets, token,
revoke, authorize.
"""

from __future__ import annotations

from simulator.platforms.x import api, lookup, oauth
from simulator.platforms.x import faults as _faults  # noqa: F401 — registers the X fault keys
from simulator.platforms.x.common import render_fault
from simulator.profiles import FormatSpec, PlatformProfile
from simulator.routing import Platform, Route

PREFIX = "/x/2"

PROFILE = PlatformProfile(
    name="x",
    posts_per_week=(3, 4),
    report_lag_days=0,
    completeness={},
    formats=(
        FormatSpec(name="text", share=0.45, duration_s=None, views_mult=0.8, decay_days=(0.3, 1.0),
                   tail=(0.001, 0.004), like_rate=0.012, comment_rate=0.002, share_rate=0.003, save_rate=0.001,
                   follow_rate=0.0004),
        FormatSpec(name="image", share=0.3, duration_s=None, views_mult=1.2, decay_days=(0.4, 1.2),
                   tail=(0.001, 0.005), like_rate=0.018, comment_rate=0.002, share_rate=0.004, save_rate=0.002,
                   follow_rate=0.0006),
        FormatSpec(name="video", share=0.15, duration_s=(6, 140), views_mult=1.5, decay_days=(0.5, 1.5),
                   tail=(0.002, 0.006), like_rate=0.02, comment_rate=0.002, share_rate=0.005, save_rate=0.003,
                   follow_rate=0.0008, watch_start=(1.0, 1.2), watch_end=(0.3, 0.6)),
        FormatSpec(name="link", share=0.1, duration_s=None, views_mult=0.7, decay_days=(0.3, 1.0),
                   tail=(0.001, 0.003), like_rate=0.008, comment_rate=0.001, share_rate=0.004, save_rate=0.002,
                   follow_rate=0.0003),
    ),
)


def urls(base: str) -> dict[str, str]:
    return {"x_api": base + PREFIX, "x_token": base + PREFIX + "/oauth2/token",
            "x_revoke": base + PREFIX + "/oauth2/revoke", "x_authorize": base + "/x/i/oauth2/authorize"}


PLATFORM = Platform(
    name="x",
    routes=(
        Route("GET", PREFIX + "/users/me", "users_me", api.me),
        Route("GET", PREFIX + "/users/by/username/{username}", "users", lookup.by_username),
        Route("GET", PREFIX + "/users/{id}", "users", api.user),
        Route("GET", PREFIX + "/users/{id}/tweets", "user_tweets", api.user_tweets),
        Route("POST", PREFIX + "/oauth2/token", "token", oauth.token, auth=True),
        Route("POST", PREFIX + "/oauth2/revoke", "revoke", oauth.revoke, auth=True),
        Route("GET", "/x/i/oauth2/authorize", "authorize", oauth.authorize, auth=True),
    ),
    urls=urls,
    render_fault=render_fault,
    profile=PROFILE,
)
