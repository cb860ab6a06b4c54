"""YouTube connector: Data API v3 (channel, uploads, video snapshots) + Analytics API v2."""

from __future__ import annotations

from ingestion.http import RetryPolicy
from ingestion.youtube.connector import YouTubeEndpoints, YouTubeLimits, build_client
from ingestion.youtube.sync import STREAMS, sync_account
from tidemark.platform_settings import PlatformDefaults

PLATFORM = "youtube"
DEFAULTS = PlatformDefaults(
    schedule="0 */4 * * *",  # every 4 hours
    lookback_days=3,  # Analytics data lags 48–72 h
    base_urls={
        "data": "https://youtube.googleapis.com/youtube/v3",
        "analytics": "https://youtubeanalytics.googleapis.com/v2",
        "token": "https://oauth2.googleapis.com/token",
    },
    limits={"daily_quota_units": 10_000, "requests_per_minute": 600},
)


def open_client(runtime, account, credentials, logger, sleep=None):
    """A client for one channel: the real API with its credentials, or the simulator."""
    settings = runtime.settings
    config = runtime.platform_settings(PLATFORM)
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


__all__ = ["DEFAULTS", "PLATFORM", "STREAMS", "open_client", "sync_account"]
