"""When to try a failed call again, and how long to wait first.

Kept free of I/O: the caller passes the current time and a random generator,
so every decision is reproducible in tests and no test ever sleeps.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

from .errors import ApiError


@dataclass(frozen=True)
class RetryDecision:
    """Outcome of RetryPolicy.decide; `reason` goes into the log line."""

    retry: bool
    delay: float
    reason: str


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter, bounded attempts, and a cap on server waits.

    `max_attempts` counts every attempt including the first. `max_retry_after`
    bounds how long we are willing to block on a server-sent Retry-After: a
    longer wait (e.g. "come back in an hour") is better handled by failing the
    run and letting the orchestrator reschedule.
    """

    max_attempts: int = 5
    base_delay: float = 1.0
    max_delay: float = 60.0
    max_retry_after: float = 300.0
    jitter: float = 0.5

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if not 0.0 <= self.jitter <= 1.0:
            raise ValueError("jitter must be a fraction between 0 and 1")

    def backoff(self, attempt: int, rng: random.Random) -> float:
        """Delay after failed attempt number `attempt` (1-based).

        Jitter only shortens the delay (factor in [1 - jitter, 1]) so the cap
        stays a hard upper bound while parallel workers still spread out.
        """
        raw = min(self.base_delay * 2 ** max(attempt - 1, 0), self.max_delay)
        return raw * (1.0 - self.jitter * rng.random())

    def decide(self, attempt: int, error: ApiError, now: datetime, rng: random.Random) -> RetryDecision:
        """Decide after failed attempt number `attempt` (1-based) whether to retry."""
        if not error.retryable:
            return RetryDecision(False, 0.0, f"{type(error).__name__} is not retryable")
        if attempt >= self.max_attempts:
            return RetryDecision(False, 0.0, f"gave up after {attempt} attempts")
        if error.retry_at is not None:
            return self._decide_server_wait(error.retry_at, now)
        delay = self.backoff(attempt, rng)
        return RetryDecision(True, delay, f"backoff {delay:.1f}s after attempt {attempt}")

    def _decide_server_wait(self, retry_at: datetime, now: datetime) -> RetryDecision:
        wait = max((_as_utc(retry_at) - _as_utc(now)).total_seconds(), 0.0)
        if wait > self.max_retry_after:
            return RetryDecision(
                False, wait, f"server asks to wait {wait:.0f}s, more than the cap {self.max_retry_after:.0f}s"
            )
        return RetryDecision(True, wait, f"server asks to wait {wait:.1f}s")


def parse_retry_after(value: str | None, now: datetime) -> datetime | None:
    """Parse a Retry-After header (delta-seconds or HTTP-date) into a UTC instant.

    Returns None for a missing or unparseable value so callers fall back to backoff.
    """
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        return _parse_http_date(text)
    if seconds != seconds or seconds in (float("inf"), float("-inf")):  # NaN / inf
        return None
    return _as_utc(now) + timedelta(seconds=max(seconds, 0.0))


def _parse_http_date(text: str) -> datetime | None:
    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return None if parsed is None else _as_utc(parsed)


def _as_utc(moment: datetime) -> datetime:
    """Naive datetimes are taken to be UTC; aware ones are converted."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
