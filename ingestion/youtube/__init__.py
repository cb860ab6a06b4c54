"""YouTube connector: Data API v3 (channel, uploads, video snapshots) + Analytics API v2."""

from __future__ import annotations

from ingestion.http import RetryPolicy
from ingestion.youtube.connector import YouTubeEndpoints, YouTubeLimits, build_client
from ingestion.youtube.sync import STREAMS, sync_account

PLATFORM = "youtube"


def open_client(runtime, account, credentials, logger, sleep=None):
    """A client for one channel: the real API with its credentials, or the simulator."""
    from tidemark.warehouse.quota import PostgresQuotaStore

    settings = runtime.settings
    if credentials is None:
        urls = runtime.simulator_urls()
        endpoints = YouTubeEndpoints(urls["youtube_data"], urls["youtube_analytics"], urls["youtube_token"])
        credentials = {"client_id": "tidemark-simulator", "client_secret": "simulator-secret",
                       "refresh_token": f"sim-refresh:{account.id}"}
        quota_key = "youtube:data_api:simulator"
    else:
        endpoints = YouTubeEndpoints(settings.youtube_data_base_url, settings.youtube_analytics_base_url,
                                     settings.youtube_token_url)
        quota_key = "youtube:data_api"
    limits = YouTubeLimits(
        daily_quota_units=settings.youtube_daily_quota_units,
        requests_per_minute=settings.youtube_requests_per_minute,
        timeout_s=settings.http_timeout_s,
        retry=RetryPolicy(max_attempts=settings.http_max_attempts, max_retry_after=settings.http_max_retry_after_s),
    )
    setting = account.credentials.get("refresh_token_env", "credentials.refresh_token_env")
    return build_client(
        account_id=account.id, credentials=credentials, credential_setting=setting, endpoints=endpoints,
        limits=limits, quota_store=PostgresQuotaStore(runtime.warehouse_url), quota_key=quota_key,
        redactor=runtime.redactor, now=settings.now, logger=logger, sleep=sleep,
    )


def lookback_days(settings) -> int:
    return settings.youtube_lookback_days


__all__ = ["PLATFORM", "STREAMS", "open_client", "sync_account", "lookback_days"]
