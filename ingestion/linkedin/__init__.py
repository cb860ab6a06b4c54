"""LinkedIn connector: organization posts, post/daily share statistics, followers (Community Management API)."""

from __future__ import annotations

from datetime import date

from core.platform import Credentials, Freshness, PlatformDefaults, PlatformSpec
from ingestion.http import RetryPolicy
from ingestion.linkedin.client import Limits, LinkedInOptions, build_client
from ingestion.linkedin.metrics import MetricRegistry
from ingestion.linkedin.sync import sync_account

ORG_PREFIX = "urn:li:organization:"
DEFAULTS = PlatformDefaults(
    schedule="20 */6 * * *",  # every 6 hours: time-bound stats only move once a day, lifetimes keep growing
    lookback_days=4,          # time-bound stats end at today − 2 days and settle after 4
    base_urls={"rest": "https://api.linkedin.com/rest", "token": "https://www.linkedin.com/oauth/v2/accessToken",
               "authorize": "https://www.linkedin.com/oauth/v2/authorization"},
    limits={
        "api_version": "202610",        # LinkedIn-Version (YYYYMM); sunset after ≥ 12 months → HTTP 426
        "daily_requests": 100_000,      # per-application daily budget (inferred; see the Developer Portal)
        "requests_per_minute": 300,     # client-side smoothing (inferred)
        "page_size": 100,               # posts finder count (max 100)
        "stats_batch_size": 20,         # post URNs per share-statistics call (inferred)
        "max_days_per_call": 90,        # days per timeIntervals request (inferred)
        "max_history_days": 365,        # time-bound statistics cover a rolling 12 months
        "retired_metrics": "",          # e.g. "TIME_WATCHED_FOR_VIDEO_VIEWS"
        "renamed_metrics": "",          # e.g. "OLD_NAME=NEW_NAME"
    },
)
PLATFORM = PlatformSpec(
    name="linkedin",
    title="LinkedIn",
    launched=date(2003, 5, 5),
    credentials=Credentials(required=("access_token",),
                            optional=("refresh_token", "client_id", "client_secret"),
                            app=("client_id", "client_secret")),
    streams=("linkedin_posts", "linkedin_post_stats", "linkedin_video_stats", "linkedin_share_daily", "linkedin_follower_daily", "linkedin_follower_facets", "linkedin_network_sizes",),
    defaults=DEFAULTS,
    freshness=Freshness(table="linkedin_share_daily", day="payload ->> 'date'"),
    formats=("text", "image", "link", "video", "carousel"),
    settle_days=4,
    rate_base="impressions",  # video views exist for video posts only; every post has impressions
)


def organization_urn(account) -> str:
    """`options.organization_urn`, else the account id (a bare numeric id or a full URN)."""
    configured = account.options.get("organization_urn")
    if configured:
        return str(configured)
    return account.id if account.id.startswith("urn:li:") else ORG_PREFIX + account.id


def open_client(runtime, account, credentials, logger, sleep=None):
    """A client for one organization: the real API with its credentials, or the simulator."""

    settings, config = runtime.settings, runtime.platform_settings(PLATFORM.name)
    org_urn = organization_urn(account)
    if credentials is None:
        urls = runtime.simulator_urls()
        rest_url, token_url = urls["linkedin_rest"], urls["linkedin_token"]
        org_id = org_urn.rsplit(":", 1)[-1]
        credentials = {"access_token": f"sim-li-access:{org_id}", "refresh_token": f"sim-li-refresh:{org_id}",
                       "client_id": "tidemark-simulator", "client_secret": "simulator-secret"}
        quota_key = "linkedin:app:simulator"
    else:
        rest_url, token_url, quota_key = config.base_urls["rest"], config.base_urls["token"], "linkedin:app"
    refreshable = all(credentials.get(k) for k in ("refresh_token", "client_id", "client_secret"))
    options = LinkedInOptions(
        org_urn=org_urn, version=str(config.limit("api_version")), page_size=int(config.limit("page_size")),
        stats_batch=int(config.limit("stats_batch_size")), max_days=int(config.limit("max_days_per_call")),
        max_history_days=int(config.limit("max_history_days")),
        setting_access=account.credentials.get("access_token_env", "credentials.access_token_env"),
        setting_refresh=account.credentials.get("refresh_token_env", "credentials.refresh_token_env")
        if refreshable else None,
    )
    registry = MetricRegistry(options.version, retired=str(config.limit("retired_metrics")),
                              renamed=str(config.limit("renamed_metrics")))
    limits = Limits(int(config.limit("daily_requests")), int(config.limit("requests_per_minute")),
                    settings.http_timeout_s)
    return build_client(
        credentials=credentials, rest_url=rest_url, token_url=token_url, options=options, registry=registry,
        limits=limits, retry=RetryPolicy(max_attempts=settings.http_max_attempts,
                                         max_retry_after=settings.http_max_retry_after_s),
        quota_store=runtime.quota_store, quota_key=quota_key, redactor=runtime.redactor,
        now=settings.now, logger=logger, sleep=sleep,
    )


__all__ = ["PLATFORM", "open_client", "sync_account"]
