"""raw.instagram_account_daily — per-day account insight values (follower_count, reach, ...)."""

from expectations.rules import Rule, TableSuite, day_in_range, known_keys, not_null, required_keys


def build() -> TableSuite:
    return TableSuite(
        platform="instagram",
        table="instagram_account_daily",
        select=("payload ->> 'date' as metric_date, payload ->> 'name' as metric_name, "
                "payload ->> 'value' as metric_value, jsonb_typeof(payload -> 'value') as value_type"),
        rules=(
            required_keys(["date", "name", "value"]),
            known_keys(["date", "name", "value", "period", "end_time", "title", "description", "id"]),
            not_null("metric_name"),
            not_null("metric_date"),
            day_in_range("metric_date", "instagram"),
            Rule("value is a non-negative integer",
                 "value_type is distinct from 'number' or metric_value !~ '^[0-9]+$'"),
        ),
    )
