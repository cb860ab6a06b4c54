import random
from datetime import UTC, datetime, timedelta, timezone

import pytest

from ingestion.http import (
    AuthError,
    RateLimitedError,
    RetryPolicy,
    TransientError,
    parse_retry_after,
)

NOW = datetime(2025, 3, 1, 12, 0, 0, tzinfo=UTC)


def test_backoff_grows_exponentially_without_jitter():
    policy = RetryPolicy(base_delay=1.0, max_delay=60.0, jitter=0.0)
    rng = random.Random(1)
    assert [policy.backoff(n, rng) for n in range(1, 8)] == [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 60.0]


def test_backoff_jitter_stays_within_bounds():
    policy = RetryPolicy(base_delay=2.0, max_delay=30.0, jitter=0.5)
    rng = random.Random(42)
    for attempt in range(1, 10):
        raw = min(2.0 * 2 ** (attempt - 1), 30.0)
        delays = [policy.backoff(attempt, rng) for _ in range(200)]
        assert all(raw * 0.5 <= d <= raw for d in delays)
        assert max(delays) - min(delays) > raw * 0.3  # jitter actually spreads values


def test_backoff_is_reproducible_with_seed():
    policy = RetryPolicy()
    first = [policy.backoff(3, random.Random(7)) for _ in range(3)]
    assert first[0] == first[1] == first[2]


def test_decide_backoff_for_transient_error():
    policy = RetryPolicy(jitter=0.0)
    decision = policy.decide(3, TransientError("p", "502"), NOW, random.Random(0))
    assert decision.retry is True
    assert decision.delay == 4.0


def test_decide_no_retry_for_non_retryable():
    decision = RetryPolicy().decide(1, AuthError("p", "expired"), NOW, random.Random(0))
    assert decision.retry is False
    assert "not retryable" in decision.reason


def test_decide_no_retry_when_attempts_exhausted():
    policy = RetryPolicy(max_attempts=3)
    rng = random.Random(0)
    assert policy.decide(2, TransientError("p", "x"), NOW, rng).retry is True
    decision = policy.decide(3, TransientError("p", "x"), NOW, rng)
    assert decision.retry is False
    assert "3 attempts" in decision.reason


def test_decide_honours_retry_at():
    error = RateLimitedError("x", "slow down", retry_at=NOW + timedelta(seconds=42))
    decision = RetryPolicy().decide(1, error, NOW, random.Random(0))
    assert decision.retry is True
    assert decision.delay == pytest.approx(42.0)


def test_decide_refuses_wait_beyond_cap():
    error = RateLimitedError("x", "slow down", retry_at=NOW + timedelta(seconds=900))
    decision = RetryPolicy(max_retry_after=300).decide(1, error, NOW, random.Random(0))
    assert decision.retry is False
    assert "server asks to wait 900s, more than the cap" in decision.reason


def test_decide_retry_at_in_past_means_no_wait():
    error = RateLimitedError("x", "slow down", retry_at=NOW - timedelta(seconds=5))
    decision = RetryPolicy().decide(1, error, NOW, random.Random(0))
    assert decision.retry is True and decision.delay == 0.0


def test_parse_retry_after_seconds():
    assert parse_retry_after("120", NOW) == NOW + timedelta(seconds=120)
    assert parse_retry_after(" 0 ", NOW) == NOW


def test_parse_retry_after_http_date():
    assert parse_retry_after("Sat, 01 Mar 2025 12:05:00 GMT", NOW) == datetime(2025, 3, 1, 12, 5, tzinfo=UTC)


def test_parse_retry_after_converts_to_utc():
    local_now = NOW.astimezone(timezone(timedelta(hours=2)))
    result = parse_retry_after("10", local_now)
    assert result.utcoffset() == timedelta(0)
    assert result == NOW + timedelta(seconds=10)


@pytest.mark.parametrize("value", [None, "", "soon", "nan"])
def test_parse_retry_after_garbage(value):
    assert parse_retry_after(value, NOW) is None


def test_policy_validates():
    with pytest.raises(ValueError):
        RetryPolicy(max_attempts=0)
    with pytest.raises(ValueError):
        RetryPolicy(jitter=1.5)
