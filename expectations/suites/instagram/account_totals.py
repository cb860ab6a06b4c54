"""raw.instagram_account_totals — per-day total_value insights (views, likes, saves of the account marts)."""

from expectations.rules import Rule, TableSuite, day_in_range, is_array, known_keys, not_null, required_keys

BAD_TOTAL = ("exists (select 1 from jsonb_array_elements(case when jsonb_typeof(payload -> 'data') = 'array' "
             "then payload -> 'data' else '[]'::jsonb end) as item "
             "where (item -> 'total_value' ->> 'value') !~ '^[0-9]+$')")


def build() -> TableSuite:
    return TableSuite(
        platform="instagram",
        table="instagram_account_totals",
        select=(f"payload ->> 'date' as metric_date, jsonb_typeof(payload -> 'data') as data_type, "
                f"{BAD_TOTAL} as has_bad_total"),
        rules=(
            required_keys(["date", "data"]),
            known_keys(["date", "data", "paging"]),
            not_null("metric_date"),
            day_in_range("metric_date", "instagram"),
            is_array("data_type", "data is a list of insight items"),
            Rule("every total_value is a non-negative integer", "has_bad_total"),
        ),
    )
