"""YouTube: Data API v3, Analytics API v2 and the Google OAuth token endpoint.

URL layout on the simulator (base = SimulatorServer.base_url):
  GET  {base}/youtube/v3/channels | playlistItems | videos
  GET  {base}/youtubeanalytics/v2/reports
  POST {base}/oauth2/token                    ≙ https://oauth2.googleapis.com/token
  GET  {base}/o/oauth2/v2/auth                ≙ https://accounts.google.com/o/oauth2/v2/auth (consent,
                                                auto-approved: 302 to the loopback redirect_uri)
Endpoint names (stats, fault `endpoints`): channels, playlistItems, videos, reports, token, authorize.
"""

from __future__ import annotations

from simulator.platforms.youtube import analytics, data_api, oauth
from simulator.platforms.youtube.common import render_fault
from simulator.platforms.youtube.profile import PROFILE
from simulator.routing import Platform, Route

DATA_PREFIX = "/youtube/v3"
ANALYTICS_PREFIX = "/youtubeanalytics/v2"
TOKEN_PATH = "/oauth2/token"
AUTHORIZE_PATH = "/o/oauth2/v2/auth"


def urls(base: str) -> dict[str, str]:
    return {
        "youtube_data": base + DATA_PREFIX,
        "youtube_analytics": base + ANALYTICS_PREFIX,
        "youtube_token": base + TOKEN_PATH,
        "youtube_authorize": base + AUTHORIZE_PATH,
    }


PLATFORM = Platform(
    name="youtube",
    routes=(
        Route("GET", DATA_PREFIX + "/channels", "channels", data_api.channels),
        Route("GET", DATA_PREFIX + "/playlistItems", "playlistItems", data_api.playlist_items),
        Route("GET", DATA_PREFIX + "/videos", "videos", data_api.videos),
        Route("GET", ANALYTICS_PREFIX + "/reports", "reports", analytics.reports),
        Route("POST", TOKEN_PATH, "token", oauth.token, auth=True),
        Route("GET", AUTHORIZE_PATH, "authorize", oauth.authorize, auth=True),
    ),
    urls=urls,
    render_fault=render_fault,
    profile=PROFILE,
)
