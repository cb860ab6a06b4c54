"""raw.instagram_media_insights — lifetime insights per media (feed the post marts' lifetime and daily numbers)."""

from expectations.rules import Rule, TableSuite, known_keys, matches, not_null, required_keys


def build() -> TableSuite:
    bad_value = ("exists (select 1 from jsonb_array_elements(coalesce(payload -> 'data', '[]'::jsonb)) as item "
                 "where (item -> 'values' -> 0 ->> 'value') !~ '^[0-9]+([.][0-9]+)?$')")
    return TableSuite(
        platform="instagram",
        table="instagram_media_insights",
        select=(
            "payload ->> 'media_id' as media_id, jsonb_typeof(payload -> 'data') as data_type, "
            f"({bad_value}) as has_bad_value"
        ),
        rules=(
            required_keys(["media_id", "data"]),
            known_keys(["media_id", "media_product_type", "metrics", "data", "unavailable"]),
            not_null("media_id"),
            matches("media_id", "^[0-9]+$", "media id is numeric"),
            Rule("data is a list of insight items", "data_type is distinct from 'array'"),
            Rule("every insight value is a non-negative number", "has_bad_value"),
        ),
    )
