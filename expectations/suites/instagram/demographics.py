"""raw.instagram_demographics — follower / engaged audience breakdowns (the audience mart)."""

from expectations.rules import Rule, TableSuite, day_in_range, known_keys, not_null, required_keys

BAD_VALUE = ("jsonb_path_exists(payload, '$.total_value.breakdowns[*].results[*] "
             "? (!(@.value.type() == \"number\"))')")


def build() -> TableSuite:
    return TableSuite(
        platform="instagram",
        table="instagram_demographics",
        select=(f"payload ->> 'name' as metric_name, payload ->> 'snapshot_date' as snapshot_date, "
                f"jsonb_typeof(payload -> 'total_value' -> 'breakdowns') as breakdowns_type, {BAD_VALUE} as has_bad_value"),
        rules=(
            required_keys(["name", "breakdown", "total_value", "snapshot_date"]),
            known_keys(["id", "name", "title", "period", "breakdown", "timeframe", "total_value", "snapshot_date",
                        "description"]),
            not_null("metric_name"),
            day_in_range("snapshot_date", "instagram"),
            Rule("total_value.breakdowns is a list", "breakdowns_type is distinct from 'array'"),
            Rule("every breakdown value is a number", "has_bad_value"),
        ),
    )
