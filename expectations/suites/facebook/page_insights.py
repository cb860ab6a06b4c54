"""raw.facebook_page_insights — one Page metric value per day (feeds account metrics daily)."""

from expectations.rules import (
    Rule,
    TableSuite,
    known_keys,
    matches,
    not_null,
    required_keys,
    timestamp_in_range,
)


def build() -> TableSuite:
    return TableSuite(
        platform="facebook",
        table="facebook_page_insights",
        select=(
            "payload ->> 'name' as metric_name, payload ->> 'value' as metric_value, "
            "jsonb_typeof(payload -> 'value') as value_type, payload ->> 'end_time' as end_time"
        ),
        rules=(
            required_keys(["name", "value", "end_time"]),
            known_keys(["name", "period", "value", "end_time", "requested_as"]),
            not_null("metric_name"),
            matches("metric_name", "^[a-z_]+$", "metric name is a Graph metric name"),
            Rule("numeric daily values are non-negative integers",
                 "value_type = 'number' and metric_value !~ '^[0-9]+$'"),
            timestamp_in_range("end_time", "facebook"),
        ),
    )
