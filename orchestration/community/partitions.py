"""Community partitions: one per UTC event day (the day an event belongs to, `event_at`'s date).

Ingestion is not partitioned (files are the unit of work); the partitions are the days the
community marts are rebuilt for. A run covering a range carries the range tags of
`orchestration.partitions` (one run, not one per day), like the social backfills.
"""

from datetime import date, timedelta

import dagster as dg

from orchestration.partitions import HISTORY_FIRST_DAY, RANGE_END_TAG, RANGE_START_TAG

community_daily_partitions = dg.DailyPartitionsDefinition(start_date=HISTORY_FIRST_DAY, end_offset=1)

# Late deliveries are folded into their event day: the daily rebuild re-reads this many days.
REBUILD_LOOKBACK_DAYS = 3


def days_between(start: str, end: str) -> list[str]:
    """Every day from `start` to `end` (inclusive, YYYY-MM-DD); a reversed range is an error."""
    first, last = date.fromisoformat(start), date.fromisoformat(end)
    if last < first:
        raise ValueError(f"partition range {start}..{end} ends before it starts")
    return [(first + timedelta(days=n)).isoformat() for n in range((last - first).days + 1)]


def run_days(tags: dict[str, str], partition_key: str | None) -> list[str]:
    """The event days a rebuild run covers: its range tags, else its single partition."""
    if RANGE_START_TAG in tags and RANGE_END_TAG in tags:
        return days_between(tags[RANGE_START_TAG], tags[RANGE_END_TAG])
    if partition_key:
        return [partition_key]
    raise ValueError("a community rebuild run needs a partition (or a partition range)")


def lookback_range(tick_date: date, lookback_days: int = REBUILD_LOOKBACK_DAYS) -> tuple[str, str]:
    """The days a scheduled rebuild asks for: the `lookback_days` whole days before the tick's day."""
    return (tick_date - timedelta(days=lookback_days)).isoformat(), (tick_date - timedelta(days=1)).isoformat()
