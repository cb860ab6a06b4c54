"""YouTube connector: Data API v3 (channel, uploads, video snapshots) + Analytics API v2."""

from __future__ import annotations

from datetime import date

from core.platform import Credentials, Freshness, PlatformDefaults, PlatformSpec
from ingestion.http import RetryPolicy
from ingestion.youtube.client import YouTubeEndpoints, YouTubeLimits, build_client
from ingestion.youtube.sync import sync_account

DEFAULTS = PlatformDefaults(
    schedule="0 */4 * * *",  # every 4 hours
    lookback_days=4,  # Analytics data lags 48–72 h and settles after 4 days: re-read 4
    base_urls={
        "data": "https://youtube.googleapis.com/youtube/v3",
        "analytics": "https://youtubeanalytics.googleapis.com/v2",
        "token": "https://oauth2.googleapis.com/token",
        "authorize": "https://accounts.google.com/o/oauth2/v2/auth",
    },
    limits={"daily_quota_units": 10_000, "requests_per_minute": 600},
)
PLATFORM = PlatformSpec(
    name="youtube",
    title="YouTube",
    launched=date(2005, 2, 14),
    credentials=Credentials(required=("client_id", "client_secret", "refresh_token"), optional=(),
                            app=("client_id", "client_secret")),
    streams=("youtube_channels", "youtube_playlist_items", "youtube_videos", "youtube_video_totals", "youtube_video_daily", "youtube_channel_daily", "youtube_video_retention", "youtube_demographics",),
    defaults=DEFAULTS,
    freshness=Freshness(table="youtube_channel_daily", day="payload ->> 'day'"),
    formats=("long_video", "short"),
    competitors="Data API v3 channels.list + playlistItems + videos.list (public statistics)",
    settle_days=4,
)


def open_client(runtime, account, credentials, logger, sleep=None):
    """A client for one channel: the real API with its credentials, or the simulator."""
    settings = runtime.settings
    config = runtime.platform_settings(PLATFORM.name)
    if credentials is None:
        urls = runtime.simulator_urls()
        endpoints = YouTubeEndpoints(urls["youtube_data"], urls["youtube_analytics"], urls["youtube_token"])
        credentials = {"client_id": "tidemark-simulator", "client_secret": "simulator-secret",
                       "refresh_token": f"sim-refresh:{account.id}"}
        quota_key = "youtube:data_api:simulator"
    else:
        endpoints = YouTubeEndpoints(config.base_urls["data"], config.base_urls["analytics"],
                                     config.base_urls["token"])
        quota_key = "youtube:data_api"
    limits = YouTubeLimits(
        daily_quota_units=config.limit("daily_quota_units"),
        requests_per_minute=config.limit("requests_per_minute"),
        timeout_s=settings.http_timeout_s,
        retry=RetryPolicy(max_attempts=settings.http_max_attempts, max_retry_after=settings.http_max_retry_after_s),
    )
    setting = account.credentials.get("refresh_token_env", "credentials.refresh_token_env")
    return build_client(
        account_id=account.id, credentials=credentials, credential_setting=setting, endpoints=endpoints,
        limits=limits, quota_store=runtime.quota_store, quota_key=quota_key,
        redactor=runtime.redactor, now=settings.now, logger=logger, sleep=sleep,
    )


__all__ = ["PLATFORM", "open_client", "sync_account"]
