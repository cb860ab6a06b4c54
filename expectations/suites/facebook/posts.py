"""raw.facebook_posts — /{page-id}/posts items (the post list every Facebook mart row starts from)."""

from expectations.rules import (
    TableSuite,
    counter,
    known_keys,
    matches,
    not_null,
    required_keys,
    timestamp_in_range,
)

FIELDS = ["id", "message", "created_time", "permalink_url", "status_type", "shares", "reactions", "comments",
          "is_published", "full_picture", "story", "attachments", "updated_time"]


def build() -> TableSuite:
    return TableSuite(
        platform="facebook",
        table="facebook_posts",
        select=(
            "payload ->> 'id' as post_id, payload ->> 'created_time' as created_time, "
            "payload -> 'reactions' -> 'summary' ->> 'total_count' as reactions, "
            "payload -> 'comments' -> 'summary' ->> 'total_count' as comments, "
            "payload -> 'shares' ->> 'count' as shares"
        ),
        rules=(
            required_keys(["id", "created_time"]),
            known_keys(FIELDS),
            not_null("post_id"),
            matches("post_id", "^[0-9]+_[0-9]+$", "post id is <page id>_<post id>"),
            *(counter(column) for column in ("reactions", "comments", "shares")),
            timestamp_in_range("created_time", "facebook"),
        ),
    )
