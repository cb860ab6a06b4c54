"""X connector: API v2 user lookup + user timeline, owner-only metrics with a user-context token."""

from __future__ import annotations

from datetime import date

from core.platform import Credentials, Freshness, PlatformDefaults, PlatformSpec
from ingestion.http import RetryPolicy
from ingestion.x.auth import XCredentials
from ingestion.x.client import XLimits, build_client
from ingestion.x.metrics import DEFAULT_METRICS, MetricRegistry
from ingestion.x.sync import sync_account

DEFAULTS = PlatformDefaults(
    schedule="0 */2 * * *",  # every 2 hours
    lookback_days=30,  # posts of the last 30 days are re-read every run
    base_urls={"api": "https://api.x.com/2", "token": "https://api.x.com/2/oauth2/token",
               "authorize": "https://x.com/i/oauth2/authorize"},
    limits={
        "user_requests_per_15min": 300,  # GET /2/users/:id, per app
        "timeline_requests_per_15min": 900,  # GET /2/users/:id/tweets (1,500 per app, 900 per user)
        "monthly_post_reads": 10_000,  # pay-per-use read budget (posts + users read), hard stop
        "page_size": 100,  # max_results: 5..100
        "api_version": "2",
        "metrics": DEFAULT_METRICS,
    },
)
PLATFORM = PlatformSpec(
    name="x",
    title="X",
    launched=date(2006, 3, 21),
    credentials=Credentials(required=("bearer_token",),
                            optional=("user_access_token", "refresh_token", "client_id", "client_secret"),
                            app=("bearer_token", "client_id", "client_secret"), rotates=True),
    streams=("x_users", "x_posts", "x_media"),
    defaults=DEFAULTS,
    freshness=Freshness(table="x_users", day="to_char(fetched_at, 'YYYY-MM-DD')"),
    formats=("text", "image", "link", "video"),
    competitors="API v2 users lookup + user timeline (public_metrics)",
    settle_days=1,
)
SIM_APP_BEARER = "AAAAAAAAAAAAAAAAAAAAAtidemarksimulatorappbearer"


def _simulated(account) -> dict[str, str]:
    """What the simulator accepts; `options.user_context: false` makes an app-only account."""
    creds = {"bearer_token": SIM_APP_BEARER}
    if account.options.get("user_context", True):
        creds.update(refresh_token=f"sim-x-refresh:{account.id}", client_id="tidemark-simulator",
                     client_secret="x-simulator-secret")
    return creds


def open_client(runtime, account, credentials, logger, sleep=None):
    """A client for one X account: the real API with its credentials, or the simulator."""

    settings = runtime.settings
    config = runtime.platform_settings(PLATFORM.name)
    if credentials is None:
        urls = runtime.simulator_urls()
        api_url, token_url, credentials = urls["x_api"], urls["x_token"], _simulated(account)
        quota_key = "x:post_reads:simulator"
    else:
        api_url, token_url, quota_key = config.base_urls["api"], config.base_urls["token"], "x:post_reads"
    creds = XCredentials(**{name: credentials.get(name) for name in PLATFORM.credentials.keys})
    page_size = int(config.limit("page_size"))
    if not 5 <= page_size <= 100:
        raise ValueError(f"TIDEMARK_X_PAGE_SIZE: X accepts max_results 5..100, got {page_size}")
    limits = XLimits(
        user_requests_per_15min=config.limit("user_requests_per_15min"),
        timeline_requests_per_15min=config.limit("timeline_requests_per_15min"),
        monthly_post_reads=config.limit("monthly_post_reads"), page_size=page_size,
        timeout_s=settings.http_timeout_s,
        retry=RetryPolicy(max_attempts=settings.http_max_attempts, max_retry_after=settings.http_max_retry_after_s),
    )
    env_names = {name: account.credentials.get(f"{name}_env", f"credentials.{name}_env") for name in PLATFORM.credentials.keys}
    registry = MetricRegistry(str(config.limit("metrics")), str(config.limit("api_version")),
                              user_context=creds.user_context)
    return build_client(
        account_id=account.id, credentials=creds, settings=env_names, api_url=api_url, token_url=token_url,
        limits=limits, registry=registry, quota_store=runtime.quota_store, quota_key=quota_key,
        redactor=runtime.redactor, now=settings.now, logger=logger, sleep=sleep,
        store=None if credentials is None else runtime.credential_store,
    )


__all__ = ["PLATFORM", "open_client", "sync_account"]
