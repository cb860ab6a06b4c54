"""raw.tiktok_business_videos — Business API lifetime video insights."""

from expectations.rules import Rule, TableSuite, counter, known_keys, matches, not_null, required_keys

COUNTERS = ("reach", "video_views", "likes", "comments", "shares", "favorites")


def build() -> TableSuite:
    return TableSuite(
        platform="tiktok",
        table="tiktok_business_videos",
        select=("payload ->> 'item_id' as video_id, payload ->> 'full_video_watched_rate' as completion_rate, "
                + ", ".join(f"payload ->> '{c}' as {c}" for c in COUNTERS)),
        rules=(
            required_keys(["item_id"]),
            known_keys(["item_id", "create_time", "caption", "share_url", "thumbnail_url", "embed_url",
                        "total_time_watched", "average_time_watched", "full_video_watched_rate",
                        "video_view_retention", "audience_countries", *COUNTERS]),
            not_null("video_id"),
            matches("video_id", "^[0-9]+$", "item id is numeric"),
            *(counter(c) for c in COUNTERS),
            Rule("full_video_watched_rate is a fraction between 0 and 1",
                 "completion_rate is not null and (completion_rate !~ '^[0-9.]+$' or "
                 "(case when completion_rate ~ '^[0-9]*[.]?[0-9]+$' then completion_rate::numeric end) "
                 "not between 0 and 1 or completion_rate !~ '^[0-9]*[.]?[0-9]+$')"),
        ),
    )
