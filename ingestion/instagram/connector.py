"""Builds an Instagram client for one account: login host, token (+ appsecret_proof), limits, classifier."""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import httpx

from core.redaction import Redactor
from ingestion.http import ApiClient, RateLimiter, RetryPolicy
from ingestion.http.clock import VirtualClock as _Clock
from ingestion.instagram.client import InstagramClient
from ingestion.instagram.errors import classify_meta
from ingestion.instagram.metrics import MetricRegistry


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


class TokenAuth:
    """Adds the access token (and `appsecret_proof` when the app secret is set) to every attempt."""

    def __init__(self, access_token: str, app_secret: str | None, redactor: Redactor):
        self._params = {"access_token": access_token}
        redactor.add_secret(access_token)
        if app_secret:
            redactor.add_secret(app_secret)
            proof = hmac.new(app_secret.encode(), access_token.encode(), hashlib.sha256).hexdigest()
            redactor.add_secret(proof)
            self._params["appsecret_proof"] = proof

    def __call__(self, headers: dict, params: dict) -> None:
        params.update(self._params)


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
