"""raw.youtube_video_totals — Analytics totals per video of the days before history start."""

from expectations.rules import (
    TableSuite,
    counter,
    known_keys,
    matches,
    not_null,
    number,
    required_keys,
)
from expectations.suites.youtube.video_daily import COUNTERS

NUMBERS = ("estimatedMinutesWatched",)  # averageViewDuration is not read for totals


def build() -> TableSuite:
    columns = ", ".join(f"payload ->> '{name}' as {name.lower()}" for name in (*COUNTERS, *NUMBERS))
    return TableSuite(
        platform="youtube",
        table="youtube_video_totals",
        select=f"payload ->> 'video_id' as video_id, payload ->> 'before' as before, {columns}",
        rules=(
            required_keys(["video_id", "before"]),
            known_keys(["video_id", "before", "no_rows", *COUNTERS, *NUMBERS]),
            not_null("video_id"),
            matches("video_id", "^[A-Za-z0-9_-]+$", "video id is well-formed"),
            matches("before", r"^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]$", "history start is an ISO date"),
            *(counter(name.lower()) for name in COUNTERS),
            *(number(name.lower()) for name in NUMBERS),
        ),
    )
