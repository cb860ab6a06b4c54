"""raw.facebook_video_insights — lifetime Reel/video insights (plays, watch time of the post marts)."""

from expectations.rules import Rule, TableSuite, is_array, known_keys, matches, not_null, required_keys

BAD_VALUES = (
    "(select count(*) from jsonb_array_elements(case when jsonb_typeof(payload -> 'data') = 'array' "
    "then payload -> 'data' else '[]'::jsonb end) as entry "
    "where jsonb_typeof(entry -> 'values' -> 0 -> 'value') = 'number' "
    "and (entry -> 'values' -> 0 ->> 'value') !~ '^[0-9]+([.][0-9]+)?$')"
)


def build() -> TableSuite:
    return TableSuite(
        platform="facebook",
        table="facebook_video_insights",
        select=(f"payload ->> 'video_id' as video_id, jsonb_typeof(payload -> 'data') as data_type, "
                f"{BAD_VALUES} as bad_values"),
        rules=(
            required_keys(["video_id", "data"]),
            known_keys(["video_id", "media_type", "period", "data", "requested_as"]),
            not_null("video_id"),
            matches("video_id", "^[0-9]+$", "video id is numeric"),
            is_array("data_type", "data is a list of insight objects"),
            Rule("numeric lifetime values are non-negative numbers", "bad_values > 0"),
        ),
    )
