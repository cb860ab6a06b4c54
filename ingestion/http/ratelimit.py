"""Client-side throttling (requests per window) and quota budgets (units per day/month).

Two different problems: a RateLimiter smooths bursts so we rarely see a 429
(e.g. X: 900 requests per 15 minutes), while a QuotaBudget refuses a call
*before* it is made when a daily/monthly allowance would be exceeded (YouTube
Data API: 10,000 units per day, reset at midnight Pacific). Refusing early
keeps a backfill from burning the quota that the daily incremental run needs.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Literal, Protocol
from zoneinfo import ZoneInfo

from .errors import QuotaExhaustedError


class RateLimiter:
    """Sliding-window limiter over one or more windows `[(max_requests, period_seconds), ...]`.

    Time is injected (`clock` = monotonic seconds, `sleep`) so tests run instantly.
    """

    def __init__(
        self,
        windows: Sequence[tuple[int, float]],
        *,
        clock: Callable[[], float],
        sleep: Callable[[float], None],
    ) -> None:
        if not windows:
            raise ValueError("RateLimiter needs at least one (max_requests, period_seconds) window")
        for limit, period in windows:
            if limit < 1 or period <= 0:
                raise ValueError(f"invalid rate-limit window ({limit}, {period})")
        self.windows = [(int(limit), float(period)) for limit, period in windows]
        self._clock = clock
        self._sleep = sleep
        self._events: deque[tuple[float, int]] = deque()
        self._blocked_until = float("-inf")
        self._lock = threading.Lock()
        self._horizon = max(period for _, period in self.windows)

    def acquire(self, cost: int = 1) -> float:
        """Block (via the injected sleep) until every window admits `cost`; returns seconds waited."""
        if cost > min(limit for limit, _ in self.windows):
            raise ValueError(f"cost {cost} can never fit into windows {self.windows}")
        waited = 0.0
        while True:
            with self._lock:
                now = self._clock()
                wait = self._wait_needed(now, cost)
                if wait <= 0:
                    self._events.append((now, cost))
                    return waited
            self._sleep(wait)
            waited += wait

    def remaining(self) -> int:
        """Requests that could go out right now without waiting (0 while penalized)."""
        with self._lock:
            now = self._clock()
            if now < self._blocked_until:
                return 0
            self._prune(now)
            return min(limit - self._used(now, period) for limit, period in self.windows)

    def penalize(self, until: float) -> None:
        """The server throttled us: nobody proceeds before clock time `until`."""
        with self._lock:
            self._blocked_until = max(self._blocked_until, until)

    def _wait_needed(self, now: float, cost: int) -> float:
        self._prune(now)
        wait = self._blocked_until - now
        for limit, period in self.windows:
            wait = max(wait, self._window_wait(now, cost, limit, period))
        return wait

    def _window_wait(self, now: float, cost: int, limit: int, period: float) -> float:
        """Seconds until enough old events leave this window to admit `cost`."""
        excess = self._used(now, period) + cost - limit
        if excess <= 0:
            return 0.0
        for stamp, event_cost in self._events:
            if stamp <= now - period:
                continue
            excess -= event_cost
            if excess <= 0:
                return stamp + period - now
        return period  # unreachable while cost <= limit; defensive

    def _used(self, now: float, period: float) -> int:
        return sum(c for stamp, c in self._events if stamp > now - period)

    def _prune(self, now: float) -> None:
        while self._events and self._events[0][0] <= now - self._horizon:
            self._events.popleft()


class QuotaStore(Protocol):
    """Where spent quota units are counted, per budget key and window start.

    `add` must return the new total for (key, window_start) and should be atomic
    (e.g. an UPSERT ... RETURNING) so concurrent runs cannot both overspend.
    """

    def get(self, key: str, window_start: datetime) -> int: ...

    def add(self, key: str, window_start: datetime, units: int) -> int: ...


class InMemoryQuotaStore:
    """QuotaStore for tests and single-process runs."""

    def __init__(self) -> None:
        self._spent: dict[tuple[str, datetime], int] = {}
        self._lock = threading.Lock()

    def get(self, key: str, window_start: datetime) -> int:
        with self._lock:
            return self._spent.get((key, window_start), 0)

    def add(self, key: str, window_start: datetime, units: int) -> int:
        with self._lock:
            total = self._spent.get((key, window_start), 0) + units
            self._spent[(key, window_start)] = total
            return total


Period = Literal["day", "month"]


class QuotaBudget:
    """A unit allowance per calendar day or month, reset at midnight in `reset_tz`.

    `now` must return an aware datetime (naive values are taken as UTC).
    Window starts are handed to the store as aware UTC datetimes.
    """

    def __init__(
        self,
        limit: int,
        period: Period = "day",
        reset_tz: str = "UTC",
        *,
        store: QuotaStore,
        key: str,
        now: Callable[[], datetime],
        platform: str | None = None,
    ) -> None:
        if period not in ("day", "month"):
            raise ValueError(f"period must be 'day' or 'month', not {period!r}")
        self.limit = limit
        self.period = period
        self.zone = ZoneInfo(reset_tz)
        self.store = store
        self.key = key
        self.platform = platform or key
        self._now = now

    def window_start(self) -> datetime:
        """Start (UTC) of the current quota window."""
        return self._window_bounds()[0]

    def next_reset(self) -> datetime:
        """When (UTC) the current window ends and the allowance is full again."""
        return self._window_bounds()[1]

    def remaining(self) -> int:
        """Units still available in the current window (never negative)."""
        return max(self.limit - self.store.get(self.key, self.window_start()), 0)

    def spend(self, units: int = 1) -> int:
        """Reserve `units` before a call; raises QuotaExhaustedError if they do not fit.

        Reserves optimistically and gives the units back if a concurrent
        spender got there first, so the limit holds with an atomic store.
        Returns the units remaining after this spend.
        """
        start, reset = self._window_bounds()
        used = self.store.get(self.key, start)
        if used + units > self.limit:
            raise self._exhausted(used, units, reset)
        total = self.store.add(self.key, start, units)
        if total > self.limit:
            self.store.add(self.key, start, -units)
            raise self._exhausted(total - units, units, reset)
        return self.limit - total

    def _exhausted(self, used: int, units: int, reset: datetime) -> QuotaExhaustedError:
        return QuotaExhaustedError(
            self.platform,
            f"quota budget {self.key!r} exhausted: {used}/{self.limit} units used this {self.period}, "
            f"call needs {units}",
            code="client_quota_budget",
            retry_at=reset,
        )

    def _window_bounds(self) -> tuple[datetime, datetime]:
        moment = self._now()
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        local = moment.astimezone(self.zone)
        if self.period == "day":
            start = datetime(local.year, local.month, local.day, tzinfo=self.zone)
            following = datetime.fromordinal(start.toordinal() + 1)
            end = datetime(following.year, following.month, following.day, tzinfo=self.zone)
        else:
            start = datetime(local.year, local.month, 1, tzinfo=self.zone)
            year, month = (local.year + 1, 1) if local.month == 12 else (local.year, local.month + 1)
            end = datetime(year, month, 1, tzinfo=self.zone)
        return start.astimezone(UTC), end.astimezone(UTC)
