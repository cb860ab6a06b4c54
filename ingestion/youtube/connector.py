"""Builds a YouTube client for one account: real API or simulator, with quota and rate limits."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx

from core.redaction import Redactor
from ingestion.http import ApiClient, QuotaBudget, RateLimiter, RetryPolicy
from ingestion.http.clock import VirtualClock
from ingestion.youtube.auth import GoogleOAuth
from ingestion.youtube.client import YouTubeClient
from ingestion.youtube.errors import classify_google


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
