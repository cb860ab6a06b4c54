"""raw.youtube_playlist_items — the uploads playlist (which videos a channel has; feeds dim_posts)."""

from expectations.rules import TableSuite, known_keys, matches, not_null, required_keys, timestamp_in_range


def build() -> TableSuite:
    return TableSuite(
        platform="youtube",
        table="youtube_playlist_items",
        select=("payload -> 'snippet' -> 'resourceId' ->> 'videoId' as video_id, "
                "payload -> 'snippet' ->> 'publishedAt' as published_at"),
        rules=(
            required_keys(["id", "snippet"]),
            known_keys(["kind", "etag", "id", "snippet", "contentDetails", "status"]),
            not_null("video_id"),
            matches("video_id", "^[A-Za-z0-9_-]+$", "video id is well-formed"),
            timestamp_in_range("published_at", "youtube"),
        ),
    )
