"""Facebook Pages connector: Graph API (Page fields, posts, Reels, videos, post/video/page insights)."""

from __future__ import annotations

from datetime import date

from core.platform import Credentials, Freshness, PlatformDefaults, PlatformSpec
from ingestion.facebook.client import FacebookLimits, build_client
from ingestion.facebook.metrics import MetricRegistry
from ingestion.facebook.sync import sync_account
from ingestion.http import RetryPolicy

DEFAULTS = PlatformDefaults(
    schedule="15 */6 * * *",  # every 6 hours: Page insights are daily, post counters move within the day
    lookback_days=2,  # page insights and recent post insights settle within ~2 days
    base_urls={"graph": "https://graph.facebook.com", "authorize": "https://www.facebook.com/v26.0/dialog/oauth"},
    limits={
        "api_version": "v26.0",
        "requests_per_hour": 4800,  # Pages BUC floor: 4,800 calls × engaged users / 24 h
        "usage_slowdown_pct": 75,  # X-App-Usage / BUC % above which calls are spaced out
        "usage_max_pause_s": 60,
        "app_usage_reset_minutes": 60,  # app-level (#4/#17) budgets: a rolling hour
        "page_size": 100,
        "page_insights_max_days": 90,  # Graph: at most 93 days between since and until
        "post_insights_recent_days": 28,  # lifetime insights re-read for posts this young
        "page_metrics": "page_media_view,page_total_media_view_unique,page_post_engagements,page_video_views,"
                        "page_views_total,page_follows,page_daily_follows_unique,page_daily_unfollows_unique",
        "post_metrics": "post_media_view,post_total_media_view_unique,post_reactions_by_type_total,post_clicks,"
                        "post_video_views",
        "video_metrics": "blue_reels_play_count,fb_reels_total_plays,fb_reels_replay_count,"
                         "post_video_avg_time_watched,post_video_view_time,post_video_social_actions,"
                         "total_video_views,total_video_views_unique,total_video_avg_time_watched,"
                         "total_video_view_total_time,total_video_complete_views",
        "audience_metrics": "page_follows_country,page_follows_city",
    },
)
PLATFORM = PlatformSpec(
    name="facebook",
    title="Facebook Pages",
    launched=date(2004, 2, 4),
    credentials=Credentials(required=("access_token",), optional=("app_secret",), app=("app_secret",)),
    streams=("facebook_pages", "facebook_posts", "facebook_videos", "facebook_post_insights", "facebook_video_insights", "facebook_page_insights", "facebook_page_audience",),
    defaults=DEFAULTS,
    freshness=Freshness(table="facebook_page_insights", day="left(payload ->> 'end_time', 10)"),
    formats=("text", "image", "link", "video", "reel"),
    competitors="Graph API public Page fields (followers_count, fan_count)",
    settle_days=2,
)
SIM_TOKEN_PREFIX = "sim-fb-page:"


def open_client(runtime, account, credentials, logger, sleep=None):
    """A client for one Page: the real Graph API with its Page token, or the simulator."""
    settings = runtime.settings
    config = runtime.platform_settings(PLATFORM.name)
    if credentials is None:
        base = runtime.simulator_urls()["facebook_graph"]
        credentials = {"access_token": f"{SIM_TOKEN_PREFIX}{account.id}"}
    else:
        base = config.base_urls["graph"]
    version = str(account.options.get("api_version") or config.limit("api_version"))
    limits = FacebookLimits(
        requests_per_hour=config.limit("requests_per_hour"), slowdown_pct=config.limit("usage_slowdown_pct"),
        max_pause_s=config.limit("usage_max_pause_s"), app_reset_minutes=config.limit("app_usage_reset_minutes"),
        page_size=config.limit("page_size"), timeout_s=settings.http_timeout_s,
        retry=RetryPolicy(max_attempts=settings.http_max_attempts, max_retry_after=settings.http_max_retry_after_s),
    )
    registry = MetricRegistry.from_limits(version, settings.now().date(), config.limits)
    return build_client(
        account_id=account.id, base_url=f"{base}/{version}", token=credentials["access_token"],
        app_secret=credentials.get("app_secret"),
        credential_setting=account.credentials.get("access_token_env", "credentials.access_token_env"),
        limits=limits, registry=registry, config=config.limits, redactor=runtime.redactor, now=settings.now, logger=logger, sleep=sleep,
    )


__all__ = ["PLATFORM", "open_client", "sync_account"]
