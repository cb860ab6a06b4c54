"""raw.youtube_videos — videos.list resources."""

from expectations.rules import (
    TableSuite,
    counter,
    known_keys,
    matches,
    not_null,
    required_keys,
    timestamp_in_range,
)


def build() -> TableSuite:
    return TableSuite(
        platform="youtube",
        table="youtube_videos",
        select=(
            "payload ->> 'id' as video_id, payload -> 'snippet' ->> 'publishedAt' as published_at, "
            "payload -> 'statistics' ->> 'viewCount' as view_count, "
            "payload -> 'statistics' ->> 'likeCount' as like_count, "
            "payload -> 'statistics' ->> 'commentCount' as comment_count"
        ),
        rules=(
            required_keys(["id", "snippet", "contentDetails", "statistics"]),
            known_keys(["kind", "etag", "id", "snippet", "contentDetails", "statistics", "status", "player",
                        "topicDetails", "recordingDetails", "liveStreamingDetails"]),
            not_null("video_id"),
            matches("video_id", "^[A-Za-z0-9_-]+$", "video id is well-formed"),
            *(counter(column) for column in ("view_count", "like_count", "comment_count")),
            timestamp_in_range("published_at", "youtube"),
        ),
    )
