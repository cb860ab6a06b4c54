"""TikTok connector: Display API v2 (user, videos) + Business API v1.3 (optional, organic insights)."""

from __future__ import annotations

from datetime import date

from core.platform import Credentials, Freshness, PlatformDefaults, PlatformSpec
from ingestion.http import RetryPolicy
from ingestion.tiktok.client import TikTokLimits, build_client
from ingestion.tiktok.sync import sync_account

DEFAULTS = PlatformDefaults(
    schedule="0 */6 * * *",  # every 6 hours: Display API counters are snapshots, no history to lose
    lookback_days=3,  # Business API daily metrics settle within ~2 days: re-read the last 3
    base_urls={
        "open": "https://open.tiktokapis.com",
        "business": "https://business-api.tiktok.com/open_api/v1.3",
        "authorize": "https://www.tiktok.com/v2/auth/authorize/",
    },
    limits={
        "requests_per_minute": 600,  # Display API: per endpoint, sliding minute
        "business_requests_per_minute": 600,  # Business API (inferred: not published for organic accounts)
        "max_count": 20,  # video/list page size and video/query ids per call (API maximum)
        "business_lookback_days": 60,  # /business/get/ serves only the last 60 days
        "business_days_per_call": 30,
        "retired_metrics": "",  # "business/v1.3:video:favorites,..." (see ingestion/tiktok/metrics.py)
        "renamed_metrics": "",  # "display/v2:video:old=new,..."
    },
)
PLATFORM = PlatformSpec(
    name="tiktok",
    title="TikTok",
    launched=date(2016, 9, 1),
    credentials=Credentials(required=("access_token",),
                            optional=("refresh_token", "client_key", "client_secret", "business_access_token"),
                            app=("client_key", "client_secret"), rotates=True),
    streams=("tiktok_users", "tiktok_videos", "tiktok_business_accounts", "tiktok_business_daily", "tiktok_business_videos"),
    defaults=DEFAULTS,
    freshness=Freshness(table="tiktok_users", day="to_char(fetched_at, 'YYYY-MM-DD')"),
    formats=("short", "video"),
    settle_days=3,
)


def _simulated(account) -> dict[str, str]:
    """Credentials the simulator accepts; the Business API only when the account opts in."""
    credentials = {"access_token": f"act.sim:{account.id}", "refresh_token": f"rft.sim:{account.id}",
                   "client_key": "tidemark-simulator", "client_secret": "simulator-secret"}
    if account.options.get("business_api", False):
        credentials["business_access_token"] = f"bat.sim:{account.id}"
    return credentials


def open_client(runtime, account, credentials, logger, sleep=None):
    """A client for one TikTok account: the real APIs with its credentials, or the simulator."""
    settings = runtime.settings
    config = runtime.platform_settings(PLATFORM.name)
    store = None if credentials is None else runtime.credential_store
    if credentials is None:
        sim = runtime.simulator_urls()
        urls = {"open": sim["tiktok_open"], "business": sim["tiktok_business"]}
        credentials = _simulated(account)
    else:
        urls = dict(config.base_urls)
        if account.options.get("business_api") is False:
            credentials = {k: v for k, v in credentials.items() if k != "business_access_token"}
    limits = TikTokLimits(
        requests_per_minute=config.limit("requests_per_minute"),
        business_requests_per_minute=config.limit("business_requests_per_minute"),
        max_count=config.limit("max_count"),
        timeout_s=settings.http_timeout_s,
        retry=RetryPolicy(max_attempts=settings.http_max_attempts, max_retry_after=settings.http_max_retry_after_s),
        retired_metrics=str(config.limit("retired_metrics")),
        renamed_metrics=str(config.limit("renamed_metrics")),
        business_lookback_days=config.limit("business_lookback_days"),
        business_days_per_call=config.limit("business_days_per_call"),
    )
    names = {name: account.credentials.get(f"{name}_env", f"credentials.{name}_env") for name in PLATFORM.credentials.keys}
    return build_client(
        account_id=account.id, credentials=credentials, settings=names, urls=urls, limits=limits,
        business_id=str(account.options.get("business_id", account.id)), redactor=runtime.redactor,
        now=settings.now, logger=logger, sleep=sleep, store=store,
    )


__all__ = ["PLATFORM", "open_client", "sync_account"]
