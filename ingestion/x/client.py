"""X API v2 calls: user lookup and the user timeline, as plain methods.

The timeline reserves `max_results` posts from the monthly read budget per page (X bills every
post read; reserving the page size up front keeps the hard stop a stop, not an overdraft).

`build_client` assembles one account's client: auth, rate limits, quota, error classification.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx

from core.redaction import Redactor
from core.warehouse.credentials import CredentialStore
from ingestion.http import (
    ApiClient,
    AuthError,
    InvalidRequestError,
    NextTokenPaginator,
    NotFoundError,
    Page,
    QuotaBudget,
    RateLimiter,
    RequestSpec,
    RetryPolicy,
)
from ingestion.http.clock import VirtualClock as Clock
from ingestion.x.auth import XAuth, XCredentials
from ingestion.x.errors import classify_x
from ingestion.x.metrics import MetricRegistry

USER_FIELDS = "public_metrics,created_at,description,username,name"


def x_time(moment: datetime) -> str:
    """RFC 3339 in whole seconds, as start_time/end_time want it."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class XClient:
    def __init__(self, users: ApiClient, timeline: ApiClient, auth: XAuth, page_size: int, registry: MetricRegistry,
                 redactor: Redactor, token_client: ApiClient | None = None):
        self.registry = registry
        self.redactor = redactor
        self.token_client = token_client
        self.users = users
        self.timeline = timeline
        self.auth = auth
        self.page_size = page_size

    @property
    def user_context(self) -> bool:
        return self.auth.creds.user_context

    def close(self) -> None:
        self.users.close()
        self.timeline.close()
        if self.token_client is not None:
            self.token_client.close()

    def user(self, user_id: str) -> dict:
        try:
            body = self.users.get_json(f"users/{user_id}", params={"user.fields": USER_FIELDS})
        except AuthError as error:
            raise self.auth.named(error) from None
        if not body or "data" not in body:  # X answers an unknown user with 200 + errors[]
            detail = ((body or {}).get("errors") or [{}])[0].get("detail", "no data")
            raise NotFoundError("x", f"user {user_id}: {detail}")
        return body["data"]

    def timeline_pages(self, user_id: str, scope: str, start: datetime | None,
                       end: datetime | None) -> Iterator[Page]:
        """All pages of one time slice ("recent" or "older" posts); a refused field is dropped from the
        registry and the call retried."""
        while True:
            fields = self.registry.fields(scope)
            params = {**fields.params(), "max_results": self.page_size, "exclude": "retweets"}
            if start is not None:
                params["start_time"] = x_time(start)
            if end is not None:
                params["end_time"] = x_time(end)
            spec = RequestSpec("GET", f"users/{user_id}/tweets", params)
            yielded = False
            try:
                for page in self.timeline.iter_pages(NextTokenPaginator(), spec, cost=self.page_size):
                    yielded = True
                    yield page
                return
            except InvalidRequestError as error:
                name = error.invalid_metric
                if yielded or not name or name not in fields or name in ("created_at",):
                    raise
                self.registry.reject(name, "invalid request")
            except AuthError as error:
                raise self.auth.named(error) from None


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
                 token_url: str, limits: XLimits, registry: MetricRegistry, quota_store, quota_key: str, redactor: Redactor,
                 now: Callable[[], datetime], logger: logging.Logger,
                 sleep: Callable[[float], None] | None = None, store: CredentialStore | None = None) -> XClient:
    timeout = httpx.Timeout(limits.timeout_s, connect=min(limits.timeout_s, 10.0))
    clock = Clock(sleep)
    common = dict(retry=limits.retry, redactor=redactor, timeout=timeout, now=now, logger=logger,
                  clock=clock.now, sleep=clock.sleep)
    token_client = ApiClient("x", token_url, classify=classify_x(now), **common) if credentials.can_refresh else None
    auth = XAuth(token_client, credentials, account_id=account_id, settings=settings, redactor=redactor, now=now,
                 store=store, log=logger.warning)
    # Pay-per-use: reads are billed per post to the developer account (all its X accounts), per
    # calendar month; the budget is counted on the wall clock even when the simulator's is fixed.
    budget = QuotaBudget(limits.monthly_post_reads, "month", "UTC", store=quota_store, key=quota_key,
                         now=lambda: datetime.now(UTC), platform="x")
    users = _api(api_url, limits.user_requests_per_15min, auth, limits, budget, now, common, clock)
    timeline = _api(api_url, limits.timeline_requests_per_15min, auth, limits, budget, now, common, clock)
    return XClient(users, timeline, auth, limits.page_size, registry, redactor, token_client=token_client)
