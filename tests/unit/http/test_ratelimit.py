from datetime import UTC, datetime

import pytest

from ingestion.http import InMemoryQuotaStore, QuotaBudget, QuotaExhaustedError, RateLimiter


class FakeTime:
    """Monotonic clock whose sleep advances time and records each wait."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def limiter(windows, fake: FakeTime) -> RateLimiter:
    return RateLimiter(windows, clock=fake.clock, sleep=fake.sleep)


def test_requests_within_window_do_not_wait():
    fake = FakeTime()
    rl = limiter([(3, 10.0)], fake)
    for _ in range(3):
        assert rl.acquire() == 0.0
    assert fake.sleeps == []
    assert rl.remaining() == 0


def test_waits_until_oldest_request_leaves_window():
    fake = FakeTime()
    rl = limiter([(2, 10.0)], fake)
    rl.acquire()
    fake.now += 3.0
    rl.acquire()
    waited = rl.acquire()  # first request at t=1000 leaves the window at t=1010
    assert fake.sleeps == [pytest.approx(7.0)]
    assert waited == pytest.approx(7.0)
    assert fake.now == pytest.approx(1010.0)


def test_multiple_windows_take_the_strictest():
    fake = FakeTime()
    rl = limiter([(2, 1.0), (3, 60.0)], fake)
    rl.acquire()
    rl.acquire()
    rl.acquire()  # per-second window forces ~1 s wait
    assert fake.sleeps == [pytest.approx(1.0)]
    rl.acquire()  # the 60 s window is now full: wait until t=1060
    assert fake.now == pytest.approx(1060.0)


def test_cost_counts_multiple_units():
    fake = FakeTime()
    rl = limiter([(10, 5.0)], fake)
    rl.acquire(cost=8)
    assert rl.remaining() == 2
    rl.acquire(cost=3)
    assert fake.sleeps == [pytest.approx(5.0)]


def test_cost_larger_than_window_is_rejected():
    with pytest.raises(ValueError):
        limiter([(2, 1.0)], FakeTime()).acquire(cost=3)


def test_penalize_blocks_until_given_time():
    fake = FakeTime()
    rl = limiter([(100, 1.0)], fake)
    rl.penalize(fake.now + 30.0)
    assert rl.remaining() == 0
    rl.acquire()
    assert fake.sleeps == [pytest.approx(30.0)]
    rl.penalize(fake.now - 5)  # an earlier deadline never shortens nor re-blocks
    assert rl.acquire() == 0.0


def test_remaining_recovers_as_window_slides():
    fake = FakeTime()
    rl = limiter([(2, 10.0)], fake)
    rl.acquire()
    rl.acquire()
    assert rl.remaining() == 0
    fake.now += 10.5
    assert rl.remaining() == 2


# --- QuotaBudget ---------------------------------------------------------------


class FakeNow:
    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


def youtube_budget(now: FakeNow, store=None) -> QuotaBudget:
    return QuotaBudget(
        10_000,
        period="day",
        reset_tz="America/Los_Angeles",
        store=store or InMemoryQuotaStore(),
        key="youtube:main",
        now=now,
        platform="youtube",
    )


def test_daily_budget_refuses_before_exceeding_and_points_to_pacific_midnight():
    # 2025-03-01 20:00 UTC = 12:00 PST; next reset 2025-03-02 00:00 PST = 08:00 UTC
    now = FakeNow(datetime(2025, 3, 1, 20, 0, tzinfo=UTC))
    store = InMemoryQuotaStore()
    budget = youtube_budget(now, store)
    assert budget.spend(9_950) == 50
    with pytest.raises(QuotaExhaustedError) as info:
        budget.spend(100)
    assert info.value.retry_at == datetime(2025, 3, 2, 8, 0, tzinfo=UTC)
    assert info.value.platform == "youtube"
    assert budget.remaining() == 50  # the refused call spent nothing
    assert budget.spend(50) == 0


def test_daily_window_start_and_reset_across_dst():
    # 2025-03-09 is the US spring-forward day: midnight PST (08:00Z), next midnight is PDT (07:00Z)
    now = FakeNow(datetime(2025, 3, 9, 12, 0, tzinfo=UTC))
    budget = youtube_budget(now)
    assert budget.window_start() == datetime(2025, 3, 9, 8, 0, tzinfo=UTC)
    assert budget.next_reset() == datetime(2025, 3, 10, 7, 0, tzinfo=UTC)


def test_daily_budget_refills_after_reset():
    now = FakeNow(datetime(2025, 3, 2, 7, 59, tzinfo=UTC))  # 23:59 PST on 1 March
    budget = youtube_budget(now)
    budget.spend(10_000)
    with pytest.raises(QuotaExhaustedError):
        budget.spend(1)
    now.moment = datetime(2025, 3, 2, 8, 0, tzinfo=UTC)
    assert budget.remaining() == 10_000
    budget.spend(1)


def test_monthly_budget_resets_at_month_start():
    now = FakeNow(datetime(2025, 12, 31, 23, 0, tzinfo=UTC))
    budget = QuotaBudget(
        15_000, period="month", store=InMemoryQuotaStore(), key="x:reads", now=now, platform="x"
    )
    assert budget.window_start() == datetime(2025, 12, 1, tzinfo=UTC)
    budget.spend(14_990)
    with pytest.raises(QuotaExhaustedError) as info:
        budget.spend(11)
    assert info.value.retry_at == datetime(2026, 1, 1, tzinfo=UTC)
    assert not info.value.retryable
    assert "x:reads" in str(info.value)


def test_concurrent_overspend_is_rolled_back():
    class RacyStore(InMemoryQuotaStore):
        """Someone else spends 5 units between our get() and add()."""

        def get(self, key, window_start):
            value = super().get(key, window_start)
            super().add(key, window_start, 5)
            return value

    now = FakeNow(datetime(2025, 3, 1, 20, 0, tzinfo=UTC))
    store = RacyStore()
    budget = QuotaBudget(10, store=store, key="k", now=now)
    with pytest.raises(QuotaExhaustedError):
        budget.spend(8)  # get sees 0, but the other spender brought it to 5: 13 > 10
    assert InMemoryQuotaStore.get(store, "k", budget.window_start()) == 5


def test_invalid_period():
    with pytest.raises(ValueError):
        QuotaBudget(1, period="week", store=InMemoryQuotaStore(), key="k", now=lambda: datetime.now(UTC))
