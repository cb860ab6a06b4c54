"""Instagram Graph API calls for one IG user, as plain methods returning parsed JSON.

`build_client` assembles one account's client: auth, rate limits, quota, error classification.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import httpx

from core.redaction import Redactor
from ingestion.http import (
    ApiClient,
    InvalidRequestError,
    NextUrlPaginator,
    Page,
    RateLimiter,
    RequestSpec,
    RetryPolicy,
)
from ingestion.http.clock import VirtualClock as _Clock
from ingestion.instagram.auth import TokenAuth
from ingestion.instagram.errors import classify_meta
from ingestion.instagram.metrics import MetricRegistry

MEDIA_FIELDS = "id,caption,media_type,media_product_type,permalink,timestamp,like_count,comments_count"
STORY_FIELDS = "id,media_type,media_product_type,permalink,timestamp"
USER_FIELDS = "id,username,name,followers_count,follows_count,media_count"
TOTAL_VALUE_METRICS = ("views", "accounts_engaged", "total_interactions", "likes", "comments", "saves", "shares")
DEMOGRAPHIC_METRICS = ("follower_demographics", "engaged_audience_demographics", "reached_audience_demographics")
DEMOGRAPHIC_BREAKDOWNS = ("age", "gender", "country", "city")


def unix(day: date) -> int:
    """Graph takes since/until as Unix seconds; a day starts at 00:00 UTC."""
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())


def value_date(end_time: str) -> date:
    """A daily value's `end_time` is the *end* of its day (next day, Pacific midnight)."""
    return (datetime.strptime(end_time, "%Y-%m-%dT%H:%M:%S%z") - timedelta(days=1)).date()


@dataclass
class MediaInsights:
    data: list[dict]
    requested: tuple[str, ...]
    unavailable: str | None = None  # why the API has no numbers (e.g. not enough viewers)
    source_names: dict[str, str] = field(default_factory=dict)


class InstagramClient:
    def __init__(self, api: ApiClient, user_id: str, registry: MetricRegistry, page_size: int = 50, *,
                 insights_lookback_days: int = 30, initial_total_value_days: int = 30):
        self.api = api
        self.insights_lookback_days = insights_lookback_days
        self.initial_total_value_days = initial_total_value_days
        self.user_id = user_id
        self.registry = registry
        self.page_size = page_size
        self.calls = 0

    def close(self) -> None:
        self.api.close()

    def _get(self, path: str, params: dict) -> dict:
        self.calls += 1
        return self.api.get_json(path, params=params) or {}

    def user(self) -> dict:
        return self._get(self.user_id, {"fields": USER_FIELDS})

    def media_pages(self, stories: bool = False) -> Iterator[Page]:
        edge, fields = ("stories", STORY_FIELDS) if stories else ("media", MEDIA_FIELDS)
        spec = RequestSpec("GET", f"{self.user_id}/{edge}", {"fields": fields, "limit": self.page_size})
        for page in self.api.iter_pages(NextUrlPaginator(), spec):
            self.calls += 1
            yield page

    def media_insights(self, media_id: str, product_type: str | None) -> MediaInsights:
        """Insights with the registry's metric set; a metric the API refuses is dropped and the call retried."""
        plan = self.registry.plan("media", product_type)
        metrics = list(plan)
        renamed = {name: source for name, source in plan.items() if name != source}
        while metrics:
            try:
                body = self._get(f"{media_id}/insights", {"metric": ",".join(metrics)})
            except InvalidRequestError as error:
                if error.code == "10":
                    return MediaInsights([], tuple(metrics), "not_enough_viewers", renamed)
                if error.invalid_metric not in metrics:
                    raise
                self.registry.reject(error.invalid_metric, error.message, product_type)
                metrics.remove(error.invalid_metric)
                continue
            return MediaInsights(body.get("data") or [], tuple(metrics), None, renamed)
        return MediaInsights([], (), "no_supported_metric", renamed)

    def time_series(self, metric: str, since: date, until: date) -> dict:
        """Daily values for [since, until] (inclusive dates; at most 30 days per call)."""
        return self._get(f"{self.user_id}/insights", {
            "metric": metric, "period": "day", "metric_type": "time_series",
            "since": unix(since), "until": unix(until + timedelta(days=1))})

    def total_value(self, day: date, metrics: tuple[str, ...], breakdown: str | None = None) -> dict:
        params = {"metric": ",".join(metrics), "period": "day", "metric_type": "total_value",
                  "since": unix(day), "until": unix(day + timedelta(days=1))}
        if breakdown:
            params["breakdown"] = breakdown
        return self._get(f"{self.user_id}/insights", params)

    def demographics(self, metric: str, breakdown: str, timeframe: str = "this_month") -> dict:
        return self._get(f"{self.user_id}/insights", {
            "metric": metric, "period": "lifetime", "metric_type": "total_value", "breakdown": breakdown,
            "timeframe": timeframe})


@dataclass(frozen=True)
class InstagramLimits:
    api_version: str
    requests_per_hour: int
    page_size: int
    timeout_s: float
    retry: RetryPolicy
    extra_media_metrics: str = ""
    insights_lookback_days: int = 30
    initial_total_value_days: int = 30


def build_client(*, account_id: str, base_url: str, credentials: dict[str, str], credential_setting: str,
                 limits: InstagramLimits, redactor: Redactor, now: Callable[[], datetime],
                 logger: logging.Logger, sleep: Callable[[float], None] | None = None) -> InstagramClient:
    clock = _Clock(sleep)
    classify = classify_meta(now, account=account_id, setting=credential_setting,
                             max_wait_s=limits.retry.max_retry_after)
    # Instagram's Business Use Case limit is per IG account: one limiter per account.
    limiter = RateLimiter([(limits.requests_per_hour, 3600.0)], clock=clock.now, sleep=clock.sleep)
    api = ApiClient(
        "instagram", f"{base_url}/{limits.api_version}", classify=classify, retry=limits.retry, limiter=limiter,
        redactor=redactor, auth=TokenAuth(credentials["access_token"], credentials.get("app_secret"), redactor),
        timeout=httpx.Timeout(limits.timeout_s, connect=min(limits.timeout_s, 10.0)), clock=clock.now,
        sleep=clock.sleep, now=now, logger=logger,
    )
    registry = MetricRegistry(limits.api_version, limits.extra_media_metrics)
    return InstagramClient(api, account_id, registry, limits.page_size,
                           insights_lookback_days=limits.insights_lookback_days,
                           initial_total_value_days=limits.initial_total_value_days)
