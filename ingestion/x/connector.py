"""Builds an X client for one account: real API or simulator, limits, budget, auth."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx

from core.redaction import Redactor
from ingestion.http import ApiClient, QuotaBudget, RateLimiter, RetryPolicy
from ingestion.http.clock import VirtualClock as Clock
from ingestion.x.auth import XAuth, XCredentials
from ingestion.x.client import XClient
from ingestion.x.errors import classify_x
from ingestion.x.metrics import Plan

WINDOW_S = 15 * 60.0


@dataclass(frozen=True)
class XLimits:
    user_requests_per_15min: int
    timeline_requests_per_15min: int
    monthly_post_reads: int
    page_size: int
    timeout_s: float
    retry: RetryPolicy


def _api(base: str, per_15min: int, auth: XAuth, limits: XLimits, budget: QuotaBudget | None,
         now: Callable[[], datetime], common: dict, clock: Clock) -> ApiClient:
    """One ApiClient per endpoint: X counts its 15-minute windows per endpoint."""
    limiter = RateLimiter([(per_15min, WINDOW_S)], clock=clock.now, sleep=clock.sleep)

    def exhausted(reset: datetime) -> None:
        """x-rate-limit-remaining hit 0: hold further calls until reset (capped like Retry-After)."""
        wait = min(max((reset - now()).total_seconds(), 0.0), limits.retry.max_retry_after)
        limiter.penalize(clock.now() + wait)

    return ApiClient("x", base, classify=classify_x(now, exhausted), limiter=limiter, budget=budget,
                     auth=auth.add_auth, on_auth_error=auth.on_auth_error, **common)


def build_client(*, account_id: str, credentials: XCredentials, settings: dict[str, str], api_url: str,
                 token_url: str, limits: XLimits, plan: Plan, quota_store, quota_key: str, redactor: Redactor,
                 now: Callable[[], datetime], logger: logging.Logger,
                 sleep: Callable[[float], None] | None = None) -> XClient:
    timeout = httpx.Timeout(limits.timeout_s, connect=min(limits.timeout_s, 10.0))
    clock = Clock(sleep)
    common = dict(retry=limits.retry, redactor=redactor, timeout=timeout, now=now, logger=logger,
                  clock=clock.now, sleep=clock.sleep)
    token_client = ApiClient("x", token_url, classify=classify_x(now), **common) if credentials.can_refresh else None
    auth = XAuth(token_client, credentials, account_id=account_id, settings=settings, redactor=redactor, now=now)
    # Pay-per-use: reads are billed per post to the developer account (all its X accounts), per
    # calendar month; the budget is counted on the wall clock even when the simulator's is fixed.
    budget = QuotaBudget(limits.monthly_post_reads, "month", "UTC", store=quota_store, key=quota_key,
                         now=lambda: datetime.now(UTC), platform="x")
    users = _api(api_url, limits.user_requests_per_15min, auth, limits, budget, now, common, clock)
    timeline = _api(api_url, limits.timeline_requests_per_15min, auth, limits, budget, now, common, clock)
    return XClient(users, timeline, auth, limits.page_size, plan, redactor, token_client=token_client)
