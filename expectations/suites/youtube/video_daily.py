"""raw.youtube_video_daily — Analytics day × video rows (the daily numbers of fct_post_metrics_daily)."""

from expectations.rules import (
    TableSuite,
    counter,
    day_in_range,
    known_keys,
    matches,
    not_null,
    number,
    required_keys,
)

COUNTERS = ("views", "likes", "comments", "shares", "engagedViews", "subscribersGained", "subscribersLost")
NUMBERS = ("estimatedMinutesWatched", "averageViewDuration")


def build() -> TableSuite:
    columns = ", ".join(f"payload ->> '{name}' as {name.lower()}" for name in (*COUNTERS, *NUMBERS))
    return TableSuite(
        platform="youtube",
        table="youtube_video_daily",
        select=f"payload ->> 'day' as day, payload ->> 'video_id' as video_id, {columns}",
        rules=(
            required_keys(["day", "video_id", "views"]),
            known_keys(["day", "video_id", "creatorContentType", "averageViewPercentage", *COUNTERS, *NUMBERS]),
            not_null("video_id"),
            matches("video_id", "^[A-Za-z0-9_-]+$", "video id is well-formed"),
            not_null("day"),
            day_in_range("day", "youtube"),
            *(counter(name.lower()) for name in COUNTERS),
            *(number(name.lower()) for name in NUMBERS),
        ),
    )
