"""raw.facebook_videos — Reels and videos of a Page (posts of the reel/video formats)."""

from expectations.rules import (
    TableSuite,
    known_keys,
    matches,
    not_null,
    number,
    required_keys,
    timestamp_in_range,
)


def build() -> TableSuite:
    return TableSuite(
        platform="facebook",
        table="facebook_videos",
        select=("payload ->> 'id' as video_id, payload ->> 'post_id' as post_id, "
                "payload ->> 'created_time' as created_time, payload ->> 'length' as length_s"),
        rules=(
            required_keys(["id", "created_time"]),
            known_keys(["id", "post_id", "title", "description", "created_time", "updated_time", "length",
                        "permalink_url", "source", "picture", "published", "status"]),
            not_null("video_id"),
            matches("video_id", "^[0-9]+$", "video id is numeric"),
            matches("post_id", "^[0-9]+_[0-9]+$", "post id is <page id>_<post id>"),
            number("length_s", "length is a non-negative number of seconds"),
            timestamp_in_range("created_time", "facebook"),
        ),
    )
