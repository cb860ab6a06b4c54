"""Builds a Graph client for one Page: real API or simulator, with rate limits and usage governor."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import httpx

from core.redaction import Redactor
from ingestion.facebook.auth import PageToken
from ingestion.facebook.client import FacebookClient
from ingestion.facebook.errors import classify_meta
from ingestion.facebook.metrics import MetricRegistry
from ingestion.facebook.usage import UsageGovernor
from ingestion.http import ApiClient, RateLimiter, RetryPolicy
from ingestion.http.clock import VirtualClock


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
