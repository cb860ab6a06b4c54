"""raw.instagram_media — /media list items and /stories items (the posts every mart starts from)."""

from expectations.rules import (
    Rule,
    TableSuite,
    counter,
    known_keys,
    matches,
    not_null,
    required_keys,
    timestamp_in_range,
)

PRODUCT_TYPES = ("FEED", "REELS", "STORY", "AD")


def build() -> TableSuite:
    return TableSuite(
        platform="instagram",
        table="instagram_media",
        select=(
            "payload ->> 'id' as media_id, payload ->> 'timestamp' as published_at, "
            "payload ->> 'media_product_type' as media_product_type, "
            "payload ->> 'like_count' as like_count, payload ->> 'comments_count' as comments_count"
        ),
        rules=(
            required_keys(["id", "media_type", "media_product_type", "timestamp"]),
            known_keys(["id", "caption", "media_type", "media_product_type", "permalink", "timestamp", "like_count",
                        "comments_count", "shortcode", "username", "is_comment_enabled", "media_url",
                        "thumbnail_url", "owner", "ig_id", "is_shared_to_feed"]),
            not_null("media_id"),
            matches("media_id", "^[0-9]+$", "media id is numeric"),
            Rule("media_product_type is FEED, REELS, STORY or AD",
                 f"media_product_type is not null and media_product_type not in "
                 f"({', '.join(repr(t) for t in PRODUCT_TYPES)})"),
            *(counter(column) for column in ("like_count", "comments_count")),
            timestamp_in_range("published_at", "instagram"),
        ),
    )
