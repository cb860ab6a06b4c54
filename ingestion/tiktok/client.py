"""TikTok calls as plain methods: Display API v2 and (optionally) Business API v1.3.

Every call goes through `_with_fields`: the field list comes from the metric registry, and an
`invalid_params` answer naming requested fields retires them and repeats the call without
them, so one retired metric costs a warning and a call, never the sync. Pages are walked
one call at a time (not `ApiClient.iter_pages`) so the field list may shrink mid-walk;
the shared `BodyCursorPaginator` still decides the next cursor and guards against loops.

`build_client` assembles one account's client: auth, rate limits, quota, error classification.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

import httpx

from core.redaction import Redactor
from core.warehouse.credentials import CredentialStore
from ingestion.http import (
    ApiClient,
    BodyCursorPaginator,
    InvalidRequestError,
    RateLimiter,
    RequestSpec,
    RetryPolicy,
)
from ingestion.http.clock import VirtualClock
from ingestion.tiktok.auth import BusinessAuth, TikTokAuth
from ingestion.tiktok.errors import classify_business, classify_display, invalid_names
from ingestion.tiktok.metrics import BUSINESS, DISPLAY, MetricRegistry, scope_of

MAX_COUNT = 20  # video/list max_count and video/query ids per call


@dataclass(frozen=True)
class Fetched:
    """One answer's `data` plus the (secret-free) request that produced it, for raw landing."""

    endpoint: str
    params: dict
    data: dict


class TikTokClient:
    def __init__(self, apis: dict[str, ApiClient], registry: MetricRegistry, redactor: Redactor, *,
                 business_id: str | None, max_count: int = MAX_COUNT, business_lookback_days: int = 60,
                 business_days_per_call: int = 30):
        self.apis = apis  # endpoint name -> ApiClient (one rate-limit window per endpoint)
        self.registry = registry
        self.redactor = redactor
        self.business_id = business_id
        self.max_count = min(max_count, MAX_COUNT)
        self.business_lookback_days = business_lookback_days
        self.business_days_per_call = business_days_per_call
        self.calls = 0

    @property
    def has_business(self) -> bool:
        return self.business_id is not None and "business_get" in self.apis

    def close(self) -> None:
        for api in self.apis.values():
            api.close()

    # --- Display API ---------------------------------------------------------------------
    def user_info(self) -> Fetched:
        def call(fields: list[str]) -> Fetched:
            return self._send("user_info", RequestSpec("GET", "v2/user/info/", {"fields": ",".join(fields)}))
        return self._with_fields(DISPLAY, "user", call)

    def video_pages(self) -> Iterator[Fetched]:
        """video/list newest first until `has_more` is false (short pages do not end the walk)."""
        paginator = BodyCursorPaginator()
        spec: RequestSpec | None = paginator.first_request(
            RequestSpec("POST", "v2/video/list/", {}, {"max_count": self.max_count}))
        while spec is not None:
            current = spec
            page = self._with_fields(DISPLAY, "video", lambda fields, s=current: self._send(
                "video_list", replace(s, params={"fields": ",".join(fields)})))
            yield page
            spec = paginator.next_request(current, {"data": page.data})

    def query_videos(self, ids: Sequence[str]) -> Fetched:
        if not 0 < len(ids) <= MAX_COUNT:
            raise ValueError(f"video/query takes 1..{MAX_COUNT} ids, got {len(ids)}")
        body = {"filters": {"video_ids": list(ids)}}
        return self._with_fields(DISPLAY, "video", lambda fields: self._send(
            "video_query", RequestSpec("POST", "v2/video/query/", {"fields": ",".join(fields)}, body)))

    # --- Business API --------------------------------------------------------------------
    def business_account(self, start: date | None, end: date | None, *, daily: bool, profile: bool) -> Fetched:
        """/business/get/: per-date metrics for [start, end] and/or followers + audience now."""
        wanted = [*(["account_daily"] if daily else []), *(["account"] if profile else [])]

        def fields_of(obj: str) -> list[str]:
            return self.registry.fields(BUSINESS, obj)

        def call(_: list[str]) -> Fetched:
            fields = [name for obj in wanted for name in fields_of(obj)]
            params = {"business_id": self.business_id, "fields": json.dumps(fields)}
            if daily:
                params.update(start_date=start.isoformat(), end_date=end.isoformat())
            return self._send("business_get", RequestSpec("GET", "business/get/", params))
        return self._with_fields(BUSINESS, wanted[0], call, also=wanted[1:])

    def business_video_pages(self) -> Iterator[Fetched]:
        cursor: int | None = 0
        while cursor is not None:
            def call(fields: list[str], at: int = cursor) -> Fetched:
                params = {"business_id": self.business_id, "fields": json.dumps(fields),
                          "max_count": self.max_count, "cursor": at}
                return self._send("business_video_list", RequestSpec("GET", "business/video/list/", params))
            page = self._with_fields(BUSINESS, "video", call)
            yield page
            following = page.data.get("cursor")
            more = bool(page.data.get("has_more")) and isinstance(following, int) and following > cursor
            cursor = following if more else None

    # --- plumbing ------------------------------------------------------------------------
    def _send(self, endpoint: str, spec: RequestSpec) -> Fetched:
        self.calls += 1
        body = self.apis[endpoint].request_json(spec.method, spec.url, params=spec.params, json=spec.json)
        data = (body or {}).get("data") or {}
        stored = self.redactor.redact_params({**spec.params, **(spec.json or {})})
        return Fetched(endpoint, stored, data)

    def _with_fields(self, api: str, obj: str, call: Callable[[list[str]], Fetched],
                     also: Sequence[str] = ()) -> Fetched:
        """Call with the registry's fields; on an invalid-field answer retire those and retry."""
        while True:
            fields = self.registry.fields(api, obj)
            try:
                return call(fields)
            except InvalidRequestError as error:
                requested = set(fields).union(*(self.registry.fields(api, other) for other in also))
                named = [n for n in invalid_names(error.message) + (error.invalid_metric or "").split(",")
                         if n in requested]
                retired = [n for n in dict.fromkeys(named)
                           if any(self.registry.reject(n, error.code or "invalid", scope_of(api, o))
                                  for o in (obj, *also))]
                if not retired:
                    raise


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
    store: CredentialStore | None = None,
) -> TikTokClient:
    clock = VirtualClock(sleep) if sleep is not None else None
    timeout = httpx.Timeout(limits.timeout_s, connect=min(limits.timeout_s, 10.0))
    common = dict(retry=limits.retry, redactor=redactor, timeout=timeout, now=now, logger=logger)
    if clock is not None:
        common.update(sleep=clock.sleep, clock=clock.now)
    display_classify = classify_display(now, account_id, settings)
    token_client = ApiClient("tiktok", urls["open"], classify=display_classify, **common)
    auth = TikTokAuth(token_client, credentials, account_id=account_id, settings=settings, redactor=redactor,
                      now=now, store=store, log=logger.warning)

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
