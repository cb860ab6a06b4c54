"""raw.youtube_videos — videos.list resources."""

import great_expectations as gx

from expectations._common import ERROR, TableSuite, counter, keys_column, known_keys, required_keys, timestamp_in_range


def build() -> TableSuite:
    expectations = [
        required_keys(["id", "snippet", "contentDetails", "statistics"]),
        known_keys(["kind", "etag", "id", "snippet", "contentDetails", "statistics", "status", "player",
                    "topicDetails", "recordingDetails", "liveStreamingDetails"]),
        gx.expectations.ExpectColumnValuesToNotBeNull(column="video_id", meta=ERROR),
        gx.expectations.ExpectColumnValuesToMatchRegex(
            column="video_id", regex=r"^[A-Za-z0-9_-]{6,64}$", meta=ERROR, description="video id is well-formed"),
        *(counter(column) for column in ("view_count", "like_count", "comment_count")),
        timestamp_in_range("published_at", "youtube"),
    ]
    return TableSuite(
        platform="youtube",
        table="youtube_videos",
        select=(
            "payload ->> 'id' as video_id, payload -> 'snippet' ->> 'publishedAt' as published_at, "
            "payload -> 'statistics' ->> 'viewCount' as view_count, "
            "payload -> 'statistics' ->> 'likeCount' as like_count, "
            "payload -> 'statistics' ->> 'commentCount' as comment_count, " + keys_column()
        ),
        suite=gx.ExpectationSuite(name="raw.youtube_videos", expectations=expectations),
    )
