"""raw.youtube_channels — channels.list snapshots (subscriber history of the account marts)."""

from expectations.rules import (
    TableSuite,
    counter,
    known_keys,
    matches,
    not_null,
    required_keys,
    timestamp_in_range,
)

COUNTERS = ("viewCount", "subscriberCount", "videoCount")


def build() -> TableSuite:
    stats = ", ".join(f"payload -> 'statistics' ->> '{name}' as {name.lower()}" for name in COUNTERS)
    return TableSuite(
        platform="youtube",
        table="youtube_channels",
        select=f"payload ->> 'id' as channel_id, payload -> 'snippet' ->> 'publishedAt' as published_at, {stats}",
        rules=(
            required_keys(["id", "snippet", "statistics"]),
            known_keys(["kind", "etag", "id", "snippet", "contentDetails", "statistics", "status", "brandingSettings",
                        "topicDetails", "localizations", "contentOwnerDetails", "auditDetails"]),
            not_null("channel_id"),
            matches("channel_id", "^UC[A-Za-z0-9_-]+$", "channel id is UC + base64 characters"),
            *(counter(name.lower()) for name in COUNTERS),
            timestamp_in_range("published_at", "youtube"),
        ),
    )
