"""raw.tiktok_videos — Display API video objects (video/list, video/query)."""

from expectations.rules import (
    Rule,
    TableSuite,
    counter,
    known_keys,
    launch_day,
    matches,
    not_null,
    required_keys,
)


def unix_seconds_in_range(column: str) -> Rule:
    """TikTok sends create_time as Unix seconds; ms (13 digits) or a date before launch is corrupt."""
    launch = launch_day("tiktok")
    return Rule(
        f"{column} is Unix seconds after {launch} (platform launch) and at most a day in the future",
        f"{column} is not null and ({column} !~ '^[0-9]+$' or (case when {column} ~ '^[0-9]+$' "
        f"and length({column}) <= 11 then to_timestamp({column}::bigint) end) is null or "
        f"(case when {column} ~ '^[0-9]+$' and length({column}) <= 11 then to_timestamp({column}::bigint) end) "
        f"not between timestamptz '{launch}' and now() + interval '1 day')",
    )


def build() -> TableSuite:
    return TableSuite(
        platform="tiktok",
        table="tiktok_videos",
        select=(
            "payload ->> 'id' as video_id, payload ->> 'create_time' as create_time, "
            "payload ->> 'duration' as duration, payload ->> 'view_count' as view_count, "
            "payload ->> 'like_count' as like_count, payload ->> 'comment_count' as comment_count, "
            "payload ->> 'share_count' as share_count"
        ),
        rules=(
            required_keys(["id", "create_time"]),
            known_keys(["id", "title", "video_description", "create_time", "duration", "share_url",
                        "cover_image_url", "embed_link", "embed_html", "height", "width", "view_count",
                        "like_count", "comment_count", "share_count"]),
            not_null("video_id"),
            matches("video_id", "^[0-9]+$", "video id is numeric"),
            unix_seconds_in_range("create_time"),
            *(counter(column) for column in ("duration", "view_count", "like_count", "comment_count",
                                              "share_count")),
        ),
    )
