"""Report periods in the workspace time zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"report period ends ({self.end}) before it starts ({self.start})")

    @property
    def label(self) -> str:
        return f"{self.start.isoformat()}_{self.end.isoformat()}"

    def previous(self) -> Period:
        length = (self.end - self.start).days + 1
        return Period(self.start - timedelta(days=length), self.start - timedelta(days=1))


def previous_iso_week(now: datetime, timezone: str) -> Period:
    """Monday..Sunday of the last complete ISO week, as seen in the workspace's time zone."""
    today = now.astimezone(ZoneInfo(timezone)).date()
    this_monday = today - timedelta(days=today.weekday())
    return Period(this_monday - timedelta(days=7), this_monday - timedelta(days=1))


def week_of(partition_key: str) -> Period:
    """A weekly partition (its Monday, `YYYY-MM-DD`) as the Monday..Sunday period it names."""
    start = date.fromisoformat(partition_key[:10])
    return Period(start, start + timedelta(days=6))


def month_of(partition_key: str) -> Period:
    """A monthly partition (its first day) as the whole calendar month."""
    start = date.fromisoformat(partition_key[:10]).replace(day=1)
    following = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return Period(start, following - timedelta(days=1))


RELATIVE_RANGES = ("last_<N>_days", "previous_week", "previous_month", "week_to_date", "month_to_date")


def relative(name: str, anchor: date) -> Period:
    """A named relative range, seen from `anchor` (the first day *after* the reported data).

    Scheduled reports anchor at the end of their partition, so re-running an old partition
    always reproduces the same dates.
    """
    yesterday = anchor - timedelta(days=1)
    if name.startswith("last_") and name.endswith("_days") and name[5:-5].isdigit() and int(name[5:-5]) > 0:
        return Period(anchor - timedelta(days=int(name[5:-5])), yesterday)
    if name == "previous_week":
        monday = anchor - timedelta(days=anchor.weekday())
        return Period(monday - timedelta(days=7), monday - timedelta(days=1))
    if name == "previous_month":
        first = anchor.replace(day=1)
        return month_of((first - timedelta(days=1)).isoformat())
    if name == "week_to_date":
        return Period(yesterday - timedelta(days=yesterday.weekday()), yesterday)
    if name == "month_to_date":
        return Period(yesterday.replace(day=1), yesterday)
    raise ValueError(f"unknown relative date range {name!r}; expected one of {', '.join(RELATIVE_RANGES)}")
