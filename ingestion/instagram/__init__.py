"""Instagram connector: Graph API (Business/Creator accounts) via Facebook Login or Instagram Login.

Lands the user snapshot, media (feed, Reels, carousels) and live stories, media insights with the
metric set of each media product type, daily account insights (reach, follower_count, total_value
metrics) and audience demographics. See docs/platforms/instagram.md.
"""

from __future__ import annotations

from datetime import date

from core.platform import Credentials, Freshness, PlatformDefaults, PlatformSpec
from ingestion.http import RetryPolicy
from ingestion.instagram.client import InstagramLimits, build_client
from ingestion.instagram.sync import sync_account

DEFAULTS = PlatformDefaults(
    schedule="0 */4 * * *",  # every 4 hours (stories live 24 h; account insights lag up to 48 h)
    lookback_days=3,  # account insights lag up to 48 h and settle after 3 days: re-read 3
    base_urls={
        "graph_facebook": "https://graph.facebook.com",  # Facebook Login (default)
        "graph_instagram": "https://graph.instagram.com",  # Instagram Login (account option login: instagram)
        "authorize": "https://www.instagram.com/oauth/authorize",  # tidemark connect (Instagram Login)
        "token": "https://api.instagram.com/oauth/access_token",
    },
    limits={
        "api_version": "v26.0",
        "requests_per_hour": 200,  # Instagram Platform: 200 calls per hour per account (BUC)
        "page_size": 50,
        "media_insights_lookback_days": 30,  # media insights re-read for media published in the last N days
        "initial_total_value_days": 30,  # first sync: daily total_value metrics for the newest N days
        "extra_media_metrics": "",  # comma-separated extra media metrics (retired names are mapped)
    },
)
PLATFORM = PlatformSpec(
    name="instagram",
    title="Instagram",
    launched=date(2010, 10, 6),
    credentials=Credentials(required=("access_token",), optional=("app_secret",), app=("app_secret",)),
    streams=("instagram_users", "instagram_media", "instagram_media_insights", "instagram_account_daily", "instagram_account_totals", "instagram_demographics",),
    defaults=DEFAULTS,
    freshness=Freshness(table="instagram_account_daily", day="payload ->> 'date'"),
    formats=("image", "carousel", "reel"),
    competitors="Graph API Business Discovery (business_discovery.username)",
    settle_days=3,
)


def open_client(runtime, account, credentials, logger, sleep=None):
    """A client for one IG account: the real API with its token, or the simulator."""
    settings = runtime.settings
    config = runtime.platform_settings(PLATFORM.name)
    host = "graph_instagram" if str(account.options.get("login", "facebook")).lower() == "instagram" else "graph_facebook"
    simulated = credentials is None
    if simulated:
        base_url = runtime.simulator_urls()[f"instagram_{host}"]
        credentials = {"access_token": f"sim-ig:{account.id}"}
    else:
        base_url = config.base_urls[host]
    limits = InstagramLimits(
        api_version=str(config.limit("api_version")),
        # The hourly cap protects real accounts; the simulator throttles by itself when told to.
        requests_per_hour=SIMULATOR_REQUESTS_PER_HOUR if simulated else int(config.limit("requests_per_hour")),
        page_size=min(int(config.limit("page_size")), 100),
        timeout_s=settings.http_timeout_s,
        retry=RetryPolicy(max_attempts=settings.http_max_attempts, max_retry_after=settings.http_max_retry_after_s),
        extra_media_metrics=str(config.limit("extra_media_metrics")),
        insights_lookback_days=int(config.limit("media_insights_lookback_days")),
        initial_total_value_days=int(config.limit("initial_total_value_days")),
    )
    setting = account.credentials.get("access_token_env", "credentials.access_token_env")
    return build_client(account_id=account.id, base_url=base_url, credentials=credentials,
                        credential_setting=setting, limits=limits, redactor=runtime.redactor, now=settings.now,
                        logger=logger, sleep=sleep)


SIMULATOR_REQUESTS_PER_HOUR = 1_000_000

__all__ = ["PLATFORM", "open_client", "sync_account"]
