"""Builds a TikTokClient for one account: real APIs or the simulator, with per-endpoint limits.

TikTok limits each endpoint separately (Display API: 600 requests per sliding minute), so every
endpoint gets its own ApiClient and RateLimiter. When tests inject `sleep`, the limiters run on
a virtual clock advanced by that sleep: a penalty after a 429 then costs no wall-clock time
(the shared RateLimiter would otherwise spin on `time.monotonic` with a no-op sleep).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

import httpx

from core.redaction import Redactor
from ingestion.http import ApiClient, RateLimiter, RetryPolicy
from ingestion.http.clock import VirtualClock
from ingestion.tiktok.auth import BusinessAuth, TikTokAuth
from ingestion.tiktok.client import TikTokClient
from ingestion.tiktok.errors import classify_business, classify_display
from ingestion.tiktok.metrics import MetricRegistry

DISPLAY_ENDPOINTS = ("user_info", "video_list", "video_query")
BUSINESS_ENDPOINTS = ("business_get", "business_video_list")


@dataclass(frozen=True)
class TikTokLimits:
    requests_per_minute: int
    business_requests_per_minute: int
    max_count: int
    timeout_s: float
    retry: RetryPolicy
    retired_metrics: str = ""
    renamed_metrics: str = ""
    business_lookback_days: int = 60
    business_days_per_call: int = 30


def build_client(
    *,
    account_id: str,
    credentials: Mapping[str, str],
    settings: Mapping[str, str],
    urls: Mapping[str, str],
    limits: TikTokLimits,
    business_id: str | None,
    redactor: Redactor,
    now: Callable[[], datetime],
    logger: logging.Logger,
    sleep: Callable[[float], None] | None = None,
) -> TikTokClient:
    clock = VirtualClock(sleep) if sleep is not None else None
    timeout = httpx.Timeout(limits.timeout_s, connect=min(limits.timeout_s, 10.0))
    common = dict(retry=limits.retry, redactor=redactor, timeout=timeout, now=now, logger=logger)
    if clock is not None:
        common.update(sleep=clock.sleep, clock=clock.now)
    display_classify = classify_display(now, account_id, settings)
    token_client = ApiClient("tiktok", urls["open"], classify=display_classify, **common)
    auth = TikTokAuth(token_client, credentials, account_id=account_id, settings=settings, redactor=redactor)

    def limiter(per_minute: int) -> RateLimiter:
        return RateLimiter([(per_minute, 60.0)], clock=clock.now if clock else time.monotonic,
                           sleep=clock.sleep if clock else time.sleep)

    apis = {"oauth_token": token_client}
    for endpoint in DISPLAY_ENDPOINTS:
        apis[endpoint] = ApiClient("tiktok", urls["open"], classify=display_classify, auth=auth.add_auth,
                                   on_auth_error=auth.on_auth_error,
                                   limiter=limiter(limits.requests_per_minute), **common)
    business_token = credentials.get("business_access_token")
    if business_id and business_token:
        business = BusinessAuth(business_token, redactor)
        classify = classify_business(account_id, settings["business_access_token"])
        for endpoint in BUSINESS_ENDPOINTS:
            apis[endpoint] = ApiClient("tiktok", urls["business"], classify=classify, auth=business.add_auth,
                                       limiter=limiter(limits.business_requests_per_minute), **common)
    registry = MetricRegistry(limits.retired_metrics, limits.renamed_metrics)
    return TikTokClient(apis, registry, redactor, business_id=business_id if business_token else None,
                        max_count=limits.max_count, business_lookback_days=limits.business_lookback_days,
                        business_days_per_call=limits.business_days_per_call)
