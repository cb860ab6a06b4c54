"""Shared HTTP layer for all platform connectors: errors, retries,
rate limiting, quota budgets, pagination and the ApiClient that ties them together
(redaction is in `core.redaction`: the warehouse, logs and reports use it too)."""

from .client import DEFAULT_TIMEOUT, ApiClient, AuthHook, Classifier, Page, default_classify, utcnow
from .errors import (
    ApiError,
    AuthError,
    InvalidRequestError,
    NotFoundError,
    PaginationError,
    QuotaExhaustedError,
    RateLimitedError,
    TransientError,
    VersionSunsetError,
)
from .pagination import (
    DEFAULT_MAX_PAGES,
    BodyCursorPaginator,
    NextTokenPaginator,
    NextUrlPaginator,
    OffsetPaginator,
    PageTokenPaginator,
    Paginator,
    RequestSpec,
    dig,
)
from .ratelimit import InMemoryQuotaStore, QuotaBudget, QuotaStore, RateLimiter
from .retry import RetryDecision, RetryPolicy, parse_retry_after

__all__ = [
    "DEFAULT_MAX_PAGES",
    "DEFAULT_TIMEOUT",
    "ApiClient",
    "ApiError",
    "AuthError",
    "AuthHook",
    "BodyCursorPaginator",
    "Classifier",
    "InMemoryQuotaStore",
    "InvalidRequestError",
    "NextTokenPaginator",
    "NextUrlPaginator",
    "NotFoundError",
    "OffsetPaginator",
    "Page",
    "PageTokenPaginator",
    "PaginationError",
    "Paginator",
    "QuotaBudget",
    "QuotaExhaustedError",
    "QuotaStore",
    "RateLimitedError",
    "RateLimiter",
    "RequestSpec",
    "RetryDecision",
    "RetryPolicy",
    "TransientError",
    "VersionSunsetError",
    "default_classify",
    "dig",
    "parse_retry_after",
    "utcnow",
]
