"""raw.x_media — media objects of the timeline (video views of X posts)."""

from expectations.rules import TableSuite, counter, known_keys, matches, not_null, one_of, required_keys


def build() -> TableSuite:
    return TableSuite(
        platform="x",
        table="x_media",
        select=("payload ->> 'media_key' as media_key, payload ->> 'type' as media_type, "
                "payload ->> 'duration_ms' as duration_ms, payload -> 'public_metrics' ->> 'view_count' as view_count"),
        rules=(
            required_keys(["media_key", "type"]),
            known_keys(["media_key", "type", "duration_ms", "public_metrics", "url", "preview_image_url", "height",
                        "width", "alt_text", "variants", "non_public_metrics", "organic_metrics"]),
            not_null("media_key"),
            matches("media_key", "^[0-9]+_[0-9]+$", "media key is <type>_<id>"),
            one_of("media_type", ("photo", "video", "animated_gif")),
            counter("duration_ms"),
            counter("view_count"),
        ),
    )
