"""raw.youtube_channel_daily — Analytics channel day rows (fct_account_metrics_daily)."""

from expectations.rules import (
    TableSuite,
    counter,
    day_in_range,
    known_keys,
    not_null,
    number,
    required_keys,
)

COUNTERS = ("views", "likes", "comments", "shares", "subscribersGained", "subscribersLost")
NUMBERS = ("estimatedMinutesWatched", "averageViewDuration")


def build() -> TableSuite:
    columns = ", ".join(f"payload ->> '{name}' as {name.lower()}" for name in (*COUNTERS, *NUMBERS))
    return TableSuite(
        platform="youtube",
        table="youtube_channel_daily",
        select=f"payload ->> 'day' as day, {columns}",
        rules=(
            required_keys(["day", "views"]),
            known_keys(["day", "engagedViews", "averageViewPercentage", *COUNTERS, *NUMBERS]),
            not_null("day"),
            day_in_range("day", "youtube"),
            *(counter(name.lower()) for name in COUNTERS),
            *(number(name.lower()) for name in NUMBERS),
        ),
    )
