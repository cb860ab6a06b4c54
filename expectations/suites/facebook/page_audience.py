"""raw.facebook_page_audience — follower breakdowns (city, country, age × gender) of the audience mart."""

from expectations.rules import Rule, TableSuite, known_keys, not_null, required_keys, timestamp_in_range

BAD_COUNT = ("exists (select 1 from jsonb_each(case when jsonb_typeof(payload -> 'value') = 'object' "
             "then payload -> 'value' else jsonb_build_object() end) as item where jsonb_typeof(item.value) <> 'number')")


def build() -> TableSuite:
    return TableSuite(
        platform="facebook",
        table="facebook_page_audience",
        select=(f"payload ->> 'name' as metric_name, payload ->> 'end_time' as end_time, "
                f"jsonb_typeof(payload -> 'value') as value_type, {BAD_COUNT} as has_bad_count"),
        rules=(
            required_keys(["name", "value", "end_time"]),
            known_keys(["name", "period", "value", "end_time", "title", "description", "id"]),
            not_null("metric_name"),
            Rule("value is an object of counts per audience bucket", "value_type is distinct from 'object'"),
            Rule("every audience bucket count is a number", "has_bad_count"),
            timestamp_in_range("end_time", "facebook"),
        ),
    )
