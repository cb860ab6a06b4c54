"""raw.facebook_post_insights — lifetime insights of one post (views, reach, clicks of the marts)."""

from expectations.rules import Rule, TableSuite, known_keys, matches, not_null, required_keys

BAD_VALUES = (
    "(select count(*) from jsonb_array_elements(payload -> 'data') as entry "
    "where jsonb_typeof(entry -> 'values' -> 0 -> 'value') = 'number' "
    "and (entry -> 'values' -> 0 ->> 'value') !~ '^[0-9]+$')"
)


def build() -> TableSuite:
    return TableSuite(
        platform="facebook",
        table="facebook_post_insights",
        select=f"payload ->> 'post_id' as post_id, jsonb_typeof(payload -> 'data') as data_type, "
               f"{BAD_VALUES} as bad_values",
        rules=(
            required_keys(["post_id", "data"]),
            known_keys(["post_id", "media_type", "period", "data", "requested_as"]),
            not_null("post_id"),
            matches("post_id", "^[0-9]+_[0-9]+$", "post id is <page id>_<post id>"),
            Rule("data is a list of insight objects", "data_type is distinct from 'array'"),
            Rule("numeric lifetime values are non-negative integers", "bad_values > 0"),
        ),
    )
