"""raw.youtube_video_retention — audience retention curves (feed the retention score)."""

from expectations.rules import Rule, TableSuite, is_array, matches, not_null, required_keys

BAD_POINT = ("exists (select 1 from jsonb_array_elements(case when jsonb_typeof(payload -> 'rows') = 'array' "
             "then payload -> 'rows' else '[]'::jsonb end) as point where jsonb_typeof(point -> "
             "'audienceWatchRatio') is distinct from 'number' or jsonb_typeof(point -> 'elapsedVideoTimeRatio') "
             "is distinct from 'number' or (case when jsonb_typeof(point -> 'elapsedVideoTimeRatio') = 'number' "
             "then (point ->> 'elapsedVideoTimeRatio')::numeric end) > 1)")


def build() -> TableSuite:
    return TableSuite(
        platform="youtube",
        table="youtube_video_retention",
        select=(f"payload ->> 'video_id' as video_id, jsonb_typeof(payload -> 'rows') as rows_type, "
                f"{BAD_POINT} as has_bad_point"),
        rules=(
            required_keys(["video_id", "rows"]),
            not_null("video_id"),
            matches("video_id", "^[A-Za-z0-9_-]+$", "video id is well-formed"),
            is_array("rows_type", "rows is a list of curve points"),
            Rule("every curve point has numeric ratios (elapsed share within 0..1)", "has_bad_point"),
        ),
    )
