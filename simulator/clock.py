"""Time helpers and the world's clock as seen from below it.

Lives at the bottom of the import order so that accounts, platform handlers and
the server can parse times and read the clock without importing `simulator.world`
(an account is created by the world; importing it back would make a cycle).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """What an account reads from the world it lives in: the seed and the moving clock."""

    @property
    def seed(self) -> int: ...

    @property
    def now(self) -> datetime: ...


def as_utc(value: datetime | str) -> datetime:
    """Parse/normalise to an aware UTC datetime (naive values are taken as UTC)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def first_day(origin: datetime, history_days: int) -> date:
    """Created date shared by all accounts: `history_days` before the world's origin."""
    return origin.date() - timedelta(days=history_days)
