"""YouTube Data API v3 + Analytics API v2 calls, as plain methods returning parsed JSON.

`build_client` assembles one account's client: auth, rate limits, quota, error classification.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

import httpx

from core.redaction import Redactor
from ingestion.http import ApiClient, PageTokenPaginator, QuotaBudget, RateLimiter, RequestSpec, RetryPolicy
from ingestion.http.clock import VirtualClock
from ingestion.youtube.auth import GoogleOAuth
from ingestion.youtube.errors import classify_google
from ingestion.youtube.metrics import MetricRegistry

VIDEO_PARTS = "snippet,contentDetails,statistics,status"


def result_rows(table: dict) -> list[dict]:
    """Analytics resultTable → list of {column name: value} ('rows' is absent when empty)."""
    return split_result(table)[0]


def split_result(table: dict) -> tuple[list[dict], list]:
    """Rows that match the column headers, and the malformed ones (kept aside, never guessed at)."""
    names = [header.get("name") for header in table.get("columnHeaders") or [] if isinstance(header, dict)]
    good, bad = [], []
    for row in table.get("rows") or []:
        if isinstance(row, list) and len(row) == len(names) and all(names):
            good.append(dict(zip(names, row, strict=True)))
        else:
            bad.append(row)
    return good, bad


class YouTubeClient:
    def __init__(self, data_api: ApiClient, analytics_api: ApiClient, registry: MetricRegistry | None = None):
        self.data = data_api
        self.analytics = analytics_api
        self.registry = registry or MetricRegistry()

    def close(self) -> None:
        self.data.close()
        self.analytics.close()

    def my_channel(self) -> dict | None:
        body = self.data.get_json("channels", params={"part": "snippet,contentDetails,statistics", "mine": "true"})
        items = body.get("items") or []
        return items[0] if items else None

    def playlist_pages(self, playlist_id: str) -> Iterator:
        spec = RequestSpec("GET", "playlistItems", {
            "part": "snippet,contentDetails", "playlistId": playlist_id, "maxResults": 50,
        })
        yield from self.data.iter_pages(PageTokenPaginator(), spec)

    def videos(self, ids: Sequence[str]) -> list[dict]:
        if len(ids) > 50:
            raise ValueError("videos.list takes at most 50 ids per call")
        body = self.data.get_json("videos", params={"part": VIDEO_PARTS, "id": ",".join(ids)})
        return body.get("items") or []

    def report(self, start: date, end: date, metrics: str, dimensions: str | None = None,
               filters: str | None = None, **extra: str | int) -> dict:
        params: dict = {
            "ids": "channel==MINE", "startDate": start.isoformat(), "endDate": end.isoformat(), "metrics": metrics,
        }
        if dimensions:
            params["dimensions"] = dimensions
        if filters:
            params["filters"] = filters
        params.update(extra)
        return self.analytics.get_json("reports", params=params)


@dataclass(frozen=True)
class YouTubeEndpoints:
    data: str
    analytics: str
    token: str


@dataclass(frozen=True)
class YouTubeLimits:
    daily_quota_units: int
    requests_per_minute: int
    timeout_s: float
    retry: RetryPolicy


def build_client(
    *,
    account_id: str,
    credentials: dict[str, str],
    credential_setting: str,
    endpoints: YouTubeEndpoints,
    limits: YouTubeLimits,
    quota_store,
    quota_key: str,
    redactor: Redactor,
    now: Callable[[], datetime],
    logger: logging.Logger,
    sleep: Callable[[float], None] | None = None,
) -> YouTubeClient:
    classify = classify_google(now)
    timeout = httpx.Timeout(limits.timeout_s, connect=min(limits.timeout_s, 10.0))
    common = dict(classify=classify, retry=limits.retry, redactor=redactor, timeout=timeout, now=now, logger=logger)
    clock = VirtualClock(sleep)  # one clock for the client and the limiter (tests inject sleep)
    common.update(sleep=clock.sleep, clock=clock.now)
    token_client = ApiClient("youtube", endpoints.token, **common)
    oauth = GoogleOAuth(
        token_client, client_id=credentials["client_id"], client_secret=credentials["client_secret"],
        refresh_token=credentials["refresh_token"], account_id=account_id, setting=credential_setting,
        redactor=redactor, now=now,
    )
    limiter = RateLimiter([(limits.requests_per_minute, 60.0)], clock=clock.now, sleep=clock.sleep)
    # The Data API quota belongs to the Google Cloud project, shared by every channel it serves.
    # Quota days are real days (wall clock), even when the simulator's clock is fixed.
    budget = QuotaBudget(limits.daily_quota_units, "day", "America/Los_Angeles", store=quota_store,
                         key=quota_key, now=lambda: datetime.now(UTC), platform="youtube")
    data = ApiClient("youtube", endpoints.data, limiter=limiter, budget=budget, auth=oauth.add_auth,
                     on_auth_error=oauth.on_auth_error, **common)
    analytics = ApiClient("youtube", endpoints.analytics, limiter=limiter, auth=oauth.add_auth,
                          on_auth_error=oauth.on_auth_error, **common)
    return YouTubeClient(data, analytics)
