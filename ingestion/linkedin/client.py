"""LinkedIn Community Management REST calls, as plain methods returning (stored params, body)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib.parse import quote

import httpx

from core.redaction import Redactor
from ingestion.http import ApiClient, OffsetPaginator, Page, QuotaBudget, RateLimiter, RequestSpec
from ingestion.linkedin import restli
from ingestion.linkedin.auth import LinkedInAuth
from ingestion.linkedin.errors import classify_linkedin
from ingestion.linkedin.metrics import MetricRegistry


@dataclass(frozen=True)
class LinkedInOptions:
    org_urn: str
    version: str
    page_size: int
    stats_batch: int
    max_days: int
    max_history_days: int
    setting_access: str     # env var names, for messages that say what to fix
    setting_refresh: str | None


class LinkedInClient:
    def __init__(self, rest: ApiClient, auth: LinkedInAuth, options: LinkedInOptions, registry: MetricRegistry,
                 redactor: Redactor, token_client: ApiClient | None = None):
        self.rest, self.auth, self.options, self.registry = rest, auth, options, registry
        self.redactor = redactor  # stored request params pass through it
        self._token_client = token_client

    @property
    def org_urn(self) -> str:
        return self.options.org_urn

    def close(self) -> None:
        self.rest.close()
        if self._token_client is not None:
            self._token_client.close()

    def post_pages(self) -> Iterator[Page]:
        spec = RequestSpec("GET", "posts", {"q": "author", "author": self.org_urn, "sortBy": "LAST_MODIFIED"})
        paginator = OffsetPaginator(page_size=min(self.options.page_size, 100))
        yield from self.rest.iter_pages(paginator, spec, headers={"X-RestLi-Method": "FINDER"})

    def _finder(self, path: str, extra: dict) -> tuple[dict, dict]:
        params = {"q": "organizationalEntity", "organizationalEntity": self.org_urn, **extra}
        return params, self.rest.get_json(path, params=params)

    def share_statistics(self, urns: Sequence[str]) -> tuple[dict, dict]:
        shares = [u for u in urns if u.startswith("urn:li:share:")]
        ugc = [u for u in urns if not u.startswith("urn:li:share:")]
        extra = {}
        if shares:
            extra["shares"] = restli.urn_list(shares)
        if ugc:
            extra["ugcPosts"] = restli.urn_list(ugc)
        return self._finder("organizationalEntityShareStatistics", extra)

    def daily_share_statistics(self, first: date, last: date) -> tuple[dict, dict]:
        return self._finder("organizationalEntityShareStatistics", {"timeIntervals": restli.day_intervals(first, last)})

    def daily_follower_gains(self, first: date, last: date) -> tuple[dict, dict]:
        return self._finder("organizationalEntityFollowerStatistics",
                            {"timeIntervals": restli.day_intervals(first, last)})

    def follower_facets(self) -> tuple[dict, dict]:
        return self._finder("organizationalEntityFollowerStatistics", {})

    def network_size(self) -> tuple[dict, dict]:
        params = {"edgeType": "COMPANY_FOLLOWED_BY_MEMBER"}
        return params, self.rest.get_json(f"networkSizes/{quote(self.org_urn, safe='')}", params=params)

    def video_analytics(self, urn: str, kind: str) -> tuple[dict, dict]:
        params = {"q": "entity", "entity": urn, "type": kind, "aggregation": "ALL"}
        return params, self.rest.get_json("videoAnalytics", params=params)


@dataclass(frozen=True)
class Limits:
    daily_requests: int
    requests_per_minute: int
    timeout_s: float


def build_client(*, credentials: dict[str, str], rest_url: str, token_url: str, options: LinkedInOptions,
                 registry: MetricRegistry, limits: Limits, retry, quota_store, quota_key: str, redactor: Redactor,
                 now: Callable[[], datetime], logger: logging.Logger,
                 sleep: Callable[[float], None] | None = None) -> LinkedInClient:
    timeout = httpx.Timeout(limits.timeout_s, connect=min(limits.timeout_s, 10.0))
    common = dict(classify=classify_linkedin(now, options.version), retry=retry, redactor=redactor,
                  timeout=timeout, now=now, logger=logger)
    if sleep is not None:
        common["sleep"] = sleep
    token_client = ApiClient("linkedin", token_url, **common) if credentials.get("refresh_token") else None
    auth = LinkedInAuth(credentials, token_client, redactor)
    limiter = RateLimiter([(limits.requests_per_minute, 60.0)], clock=time.monotonic, sleep=sleep or time.sleep)
    # The daily limits belong to the developer application and reset at midnight UTC (wall clock).
    budget = QuotaBudget(limits.daily_requests, "day", "UTC", store=quota_store, key=quota_key,
                         now=lambda: datetime.now(UTC), platform="linkedin")
    headers = {"LinkedIn-Version": options.version, "X-Restli-Protocol-Version": "2.0.0"}
    rest = ApiClient("linkedin", rest_url, limiter=limiter, budget=budget, auth=auth.add_auth,
                     on_auth_error=auth.on_auth_error, headers=headers, transport=restli.RestliTransport(), **common)
    return LinkedInClient(rest, auth, options, registry, redactor, token_client)


def media_type(post: dict) -> str:
    """text | image | video | link | carousel, from the Posts API `content` shape."""
    content = post.get("content") or {}
    if "multiImage" in content or "carousel" in content:
        return "carousel"
    if "article" in content:
        return "link"
    media_id = str((content.get("media") or {}).get("id", ""))
    if media_id.startswith("urn:li:video:"):
        return "video"
    if media_id.startswith("urn:li:document:"):
        return "carousel"  # PDF documents read as swipeable carousels
    if media_id.startswith("urn:li:image:"):
        return "image"
    return "text"
