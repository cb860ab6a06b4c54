"""ApiClient: the one place where connectors talk HTTP.

It combines throttling, quota budgets, credentials, retries, classification
of platform answers into ApiError subclasses, pagination and redaction, so a
connector only describes *what* to fetch. Time, sleep and randomness are
injected, which is what lets the tests exercise retries without waiting.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlsplit, urlunsplit

import httpx
import orjson

from core.redaction import Redactor, default_redactor

from .errors import (
    ApiError,
    AuthError,
    InvalidRequestError,
    NotFoundError,
    RateLimitedError,
    TransientError,
    VersionSunsetError,
)
from .pagination import Paginator, RequestSpec, dig
from .ratelimit import QuotaBudget, RateLimiter
from .retry import RetryPolicy, parse_retry_after

Classifier = Callable[[httpx.Response], ApiError | None]
AuthHook = Callable[[dict[str, str], dict[str, Any]], None]
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)
SNIPPET_CHARS = 200


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Page:
    """One fetched page: the request that produced it (auth-free) and the parsed body."""

    request: RequestSpec
    data: Any
    status: int
    headers: httpx.Headers


class ApiClient:
    """HTTP client for one platform (and usually one credential)."""

    def __init__(
        self,
        platform: str,
        base_url: str = "",
        *,
        classify: Classifier | None = None,
        retry: RetryPolicy | None = None,
        limiter: RateLimiter | None = None,
        budget: QuotaBudget | None = None,
        redactor: Redactor | None = None,
        auth: AuthHook | None = None,
        on_auth_error: Callable[[AuthError], bool] | None = None,
        timeout: httpx.Timeout | None = None,
        headers: Mapping[str, str] | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        now: Callable[[], datetime] = utcnow,
        rng: random.Random | None = None,
        transport: httpx.BaseTransport | None = None,
        logger: logging.Logger | None = None,
    ) -> None:
        self.platform = platform
        self._classify = classify or default_classify(platform, now=now)
        self._retry = retry or RetryPolicy()
        self._limiter = limiter
        self._budget = budget
        self._redactor = redactor or default_redactor
        self._auth = auth
        self._on_auth_error = on_auth_error
        self._clock, self._sleep, self._now = clock, sleep, now
        self._rng = rng or random.Random()
        self._log = logger or logging.getLogger("ingestion.http")
        self._base_url = base_url
        self._http = httpx.Client(
            base_url=base_url, timeout=timeout or DEFAULT_TIMEOUT, transport=transport, headers=headers
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> ApiClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def request(
        self,
        method: str,
        path_or_url: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        data: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        cost: int = 1,
        weight: int = 1,
    ) -> httpx.Response:
        """Send with throttling, quota, auth and retries; return the successful response.

        `cost` is spent from the QuotaBudget on every attempt (platforms bill
        failed calls too); `weight` is what the RateLimiter counts per attempt.
        Raises an ApiError subclass with a redacted message.
        """
        # An empty path means the base URL itself, exactly as documented (token endpoints): httpx
        # would append a slash (`.../token/`), which some OAuth servers refuse.
        url, params = _split_query(path_or_url or self._base_url, params)
        refreshed = False
        attempt = 0
        while True:
            attempt += 1
            request, response, error = self._attempt(method, url, params, json, data, headers, cost, weight)
            if error is None:
                return response
            if isinstance(error, AuthError) and self._on_auth_error and not refreshed:
                refreshed = True
                if self._on_auth_error(error):
                    self._note(
                        logging.INFO, f"{method} {request.url}: {error}; credentials refreshed, retrying"
                    )
                    continue
            decision = self._retry.decide(attempt, error, self._now(), self._rng)
            if not decision.retry:
                level = logging.WARNING if error.retryable else logging.INFO
                self._note(level, f"{method} {request.url} failed: {error}; not retrying: {decision.reason}")
                raise error
            if isinstance(error, RateLimitedError) and self._limiter:
                self._limiter.penalize(self._clock() + decision.delay)
            self._note(
                logging.WARNING,
                f"{method} {request.url} failed on attempt {attempt}/{self._retry.max_attempts}: {error}; "
                f"retrying in {decision.delay:.1f}s ({decision.reason})",
            )
            self._sleep(decision.delay)

    def request_json(self, method: str, path_or_url: str, **kwargs: Any) -> Any:
        """`request` and parse the body as JSON (None for an empty body)."""
        return self._parse_json(self.request(method, path_or_url, **kwargs))

    def get_json(self, path_or_url: str, **kwargs: Any) -> Any:
        return self.request_json("GET", path_or_url, **kwargs)

    def iter_pages(
        self,
        paginator: Paginator,
        spec: RequestSpec,
        *,
        headers: Mapping[str, str] | None = None,
        cost: int = 1,
    ) -> Iterator[Page]:
        """Walk all pages; each Page carries its auth-free RequestSpec for raw landing."""
        if paginator.platform is None:
            paginator.platform = self.platform
        current: RequestSpec | None = paginator.first_request(spec)
        while current is not None:
            response = self.request(
                current.method,
                current.url,
                params=current.params,
                json=current.json,
                headers=headers,
                cost=cost,
            )
            data = self._parse_json(response)
            yield Page(current, data, response.status_code, response.headers)
            current = paginator.next_request(current, data, response.headers)

    def paginate(self, paginator: Paginator, spec: RequestSpec, **kwargs: Any) -> Iterator[Any]:
        """Like iter_pages but yields only the parsed bodies."""
        for page in self.iter_pages(paginator, spec, **kwargs):
            yield page.data

    def _attempt(
        self,
        method: str,
        url: str,
        params: dict[str, Any],
        json: Any,
        data: Mapping[str, str] | None,
        headers: Mapping[str, str] | None,
        cost: int,
        weight: int,
    ) -> tuple[httpx.Request, httpx.Response | None, ApiError | None]:
        """One try: throttle, spend quota, add credentials, send, classify."""
        if self._limiter:
            self._limiter.acquire(weight)
        if self._budget:
            self._budget.spend(cost)
        request = self._build(method, url, params, json, data, headers)
        try:
            response = self._http.send(request)
        except (httpx.TransportError, httpx.DecodingError) as exc:
            # a wrong URL scheme is a configuration bug: retrying cannot help
            cls = InvalidRequestError if isinstance(exc, httpx.UnsupportedProtocol) else TransientError
            error = cls(self.platform, f"{type(exc).__name__} on {method} {request.url}: {exc}")
            return request, None, self._scrub(error)
        error = self._classify(response)
        return request, response, (self._scrub(error) if error is not None else None)

    def _build(
        self,
        method: str,
        url: str,
        params: dict[str, Any],
        json: Any,
        data: Mapping[str, str] | None,
        headers: Mapping[str, str] | None,
    ) -> httpx.Request:
        """Fresh copies each attempt, so the auth hook can insert a just-refreshed token."""
        headers_copy, params_copy = dict(headers or {}), dict(params)
        if self._auth:
            self._auth(headers_copy, params_copy)
        return self._http.build_request(
            method, url, params=params_copy or None, json=json, data=data, headers=headers_copy
        )

    def _scrub(self, error: ApiError) -> ApiError:
        """Enforce redaction even when a platform classifier forgot to."""
        error.message = self._redactor.redact(error.message)
        if error.code is not None:
            error.code = self._redactor.redact(error.code)
        error.args = (str(error),)
        return error

    def _note(self, level: int, text: str) -> None:
        self._log.log(level, "%s: %s", self.platform, self._redactor.redact(text))

    def _parse_json(self, response: httpx.Response) -> Any:
        if not response.content:
            return None
        try:
            return orjson.loads(response.content)
        except ValueError:
            snippet = self._redactor.redact(response.text[:SNIPPET_CHARS])
            kind = response.headers.get("content-type", "unknown content type")
            cls = TransientError if response.status_code >= 500 else InvalidRequestError
            raise cls(
                self.platform, f"expected JSON, got {kind}: {snippet!r}", status=response.status_code
            ) from None


def _split_query(path_or_url: str, params: Mapping[str, Any] | None) -> tuple[str, dict[str, Any]]:
    """Move a query string into params: httpx replaces (not merges) the query when params are given."""
    parts = urlsplit(path_or_url)
    merged: dict[str, Any] = dict(parse_qsl(parts.query, keep_blank_values=True))
    merged.update(params or {})
    if not parts.query:
        return path_or_url, merged
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", parts.fragment)), merged


def default_classify(platform: str, *, now: Callable[[], datetime] = utcnow) -> Classifier:
    """Status-code-only classifier; platform classifiers refine it using error bodies."""

    def classify(response: httpx.Response) -> ApiError | None:
        status = response.status_code
        if status < 300:
            return None
        message, code = _describe(response)
        retry_at = parse_retry_after(response.headers.get("Retry-After"), now())
        if status in (401, 403):
            return AuthError(platform, message, status=status, code=code)
        if status in (404, 410):
            return NotFoundError(platform, message, status=status, code=code)
        if status == 426:
            return VersionSunsetError(platform, message, status=status, code=code)
        if status in (408, 425, 429):
            return RateLimitedError(platform, message, status=status, code=code, retry_at=retry_at)
        if status >= 500:
            return TransientError(platform, message, status=status, code=code, retry_at=retry_at)
        return InvalidRequestError(platform, message, status=status, code=code)

    return classify


def _describe(response: httpx.Response) -> tuple[str, str | None]:
    """Best-effort (message, code) from common error body shapes (Graph, Google, X, LinkedIn)."""
    reason = response.reason_phrase or f"HTTP {response.status_code}"
    try:
        body = response.json()
    except ValueError:
        text = response.text.strip()[:SNIPPET_CHARS]
        return (f"{reason}: {text}" if text else reason), None
    for path in ("error.message", "error_description", "message", "detail", "title", "error"):
        found = dig(body, path)
        if isinstance(found, str) and found:
            code = dig(body, "error.code") or dig(body, "code") or dig(body, "serviceErrorCode")
            return f"{reason}: {found}", (None if code is None else str(code))
    return reason, None


def json_object(response: httpx.Response) -> dict:
    """The body as a JSON object, or {} (error bodies may be empty, HTML or a JSON list)."""
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
