"""raw.youtube_demographics — viewer percentages by age × gender / country (feed the audience mart)."""

from expectations.rules import (
    Rule,
    TableSuite,
    day_in_range,
    is_array,
    known_keys,
    required_keys,
    series_kept,
)

KEPT_COLUMNS, KEPT = series_kept("youtube_demographics", "-> 'rows'")

BAD_SHARE = ("exists (select 1 from jsonb_array_elements(case when jsonb_typeof(payload -> 'rows') = 'array' "
             "then payload -> 'rows' else '[]'::jsonb end) as row_ where row_ ? 'viewerPercentage' and "
             "(jsonb_typeof(row_ -> 'viewerPercentage') <> 'number' or (case when "
             "jsonb_typeof(row_ -> 'viewerPercentage') = 'number' then (row_ ->> 'viewerPercentage')::numeric end) not between 0 and 100))")


def build() -> TableSuite:
    return TableSuite(
        platform="youtube",
        table="youtube_demographics",
        select=(f"payload ->> 'end_date' as end_date, jsonb_typeof(payload -> 'rows') as rows_type, "
                f"{BAD_SHARE} as has_bad_share, {KEPT_COLUMNS}"),
        rules=(
            required_keys(["dimension", "rows", "end_date"]),
            known_keys(["dimension", "rows", "start_date", "end_date"]),
            is_array("rows_type", "rows is a list"),
            day_in_range("end_date", "youtube"),
            Rule("viewerPercentage (where given) is a number between 0 and 100", "has_bad_share"),
            KEPT,
        ),
    )
