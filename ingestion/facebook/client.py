"""Graph API calls for one Page, returning parsed JSON; insight calls survive bad metrics.

An insights call that Graph refuses with `(#100)` naming a metric is repeated without it (the
registry remembers the rejection); when the message names none, each metric is asked alone so
one bad name never hides the others. `(#10) not enough viewers` means no data (None).

`build_client` assembles one account's client: auth, rate limits, quota, error classification.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime

import httpx

from core.redaction import Redactor
from ingestion.facebook.auth import PageToken
from ingestion.facebook.errors import NotEnoughDataError, classify_meta
from ingestion.facebook.metrics import MetricRegistry
from ingestion.facebook.usage import UsageGovernor
from ingestion.http import (
    ApiClient,
    InvalidRequestError,
    NextUrlPaginator,
    Page,
    RateLimiter,
    RequestSpec,
    RetryPolicy,
)
from ingestion.http.clock import VirtualClock

POST_FIELDS = ("id,message,created_time,permalink_url,status_type,shares,"
               "reactions.limit(0).summary(total_count),comments.limit(0).summary(total_count)")
PAGE_FIELDS = "id,name,username,category,link,followers_count,fan_count"
VIDEO_FIELDS = "id,title,description,created_time,updated_time,length,permalink_url,post_id"


class FacebookClient:
    def __init__(self, api: ApiClient, registry: MetricRegistry, redactor: Redactor, *, page_size: int = 100,
                 config: dict | None = None):
        self.api = api
        self.registry = registry
        self.redactor = redactor
        self.page_size = page_size
        self.config = dict(config or {})  # the platform limits: metric lists, lookbacks
        self.calls = 0

    def safe(self, params: dict) -> dict:
        """Request parameters as they may be stored (secrets masked)."""
        return self.redactor.redact_params(params)

    def close(self) -> None:
        self.api.close()

    def _get(self, path: str, params: dict) -> dict:
        self.calls += 1
        return self.api.get_json(path, params=params) or {}

    def page(self, page_id: str) -> dict:
        return self._get(page_id, {"fields": PAGE_FIELDS})

    def edge(self, page_id: str, edge: str, fields: str, **params: str | int) -> Iterator[Page]:
        """All pages of a Page edge (`posts`, `video_reels`, `videos`), following `paging.next`."""
        spec = RequestSpec("GET", f"{page_id}/{edge}", {"fields": fields, "limit": self.page_size, **params})
        for page in self.api.iter_pages(NextUrlPaginator(), spec):
            self.calls += 1
            yield page

    def insights(self, path: str, metrics: list[str], media: str | None = None, **params: str) -> list[dict] | None:
        """Insight entries for `metrics` at `path` (`<id>/insights`, `<id>/video_insights`)."""
        remaining = list(metrics)
        while remaining:
            try:
                return self._get(path, {**params, "metric": ",".join(remaining)}).get("data") or []
            except NotEnoughDataError:
                return None
            except InvalidRequestError as error:
                if error.code != "100":
                    raise
                bad = error.invalid_metric if error.invalid_metric in remaining else None
                if bad is None and len(remaining) > 1:
                    return self._one_by_one(path, remaining, media, params)
                self.registry.reject(bad or remaining[0], error.message, media)
                remaining.remove(bad or remaining[0])
        return []

    def _one_by_one(self, path: str, metrics: list[str], media: str | None, params: dict) -> list[dict] | None:
        out: list[dict] = []
        for name in metrics:
            found = self.insights(path, [name], media, **params)
            out.extend(found or [])
        return out


@dataclass(frozen=True)
class FacebookLimits:
    requests_per_hour: int
    slowdown_pct: int
    max_pause_s: int
    app_reset_minutes: int
    page_size: int
    timeout_s: float
    retry: RetryPolicy


def build_client(
    *,
    account_id: str,
    base_url: str,
    token: str,
    app_secret: str | None,
    credential_setting: str,
    limits: FacebookLimits,
    registry: MetricRegistry,
    config: dict,
    redactor: Redactor,
    now: Callable[[], datetime],
    logger: logging.Logger,
    sleep: Callable[[float], None] | None = None,
) -> FacebookClient:
    clock = VirtualClock(sleep)
    limiter = RateLimiter([(limits.requests_per_hour, 3600.0)], clock=clock.now, sleep=clock.sleep)
    usage = UsageGovernor(limiter, clock.now, slowdown_pct=limits.slowdown_pct, max_pause_s=limits.max_pause_s,
                          max_wait_s=limits.retry.max_retry_after)
    auth = PageToken(token, app_secret=app_secret, account_id=account_id, setting=credential_setting,
                     redactor=redactor)
    api = ApiClient(
        "facebook", base_url,
        classify=classify_meta(now, usage, max_wait_s=limits.retry.max_retry_after,
                               app_reset_minutes=limits.app_reset_minutes),
        retry=limits.retry, limiter=limiter, redactor=redactor, auth=auth.add_auth,
        on_auth_error=auth.on_auth_error, timeout=httpx.Timeout(limits.timeout_s, connect=min(limits.timeout_s, 10.0)),
        clock=clock.now, sleep=clock.sleep, now=now, logger=logger,
    )
    return FacebookClient(api, registry, redactor, page_size=limits.page_size, config=config)
