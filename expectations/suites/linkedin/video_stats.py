"""raw.linkedin_video_stats — videoAnalytics values per post (video views/viewers/watch time)."""

from expectations.rules import TableSuite, known_keys, matches, not_null, number, required_keys


def build() -> TableSuite:
    return TableSuite(
        platform="linkedin",
        table="linkedin_video_stats",
        select=("payload ->> 'post_urn' as post_urn, payload ->> 'metric' as metric, "
                "payload ->> 'value' as metric_value"),
        rules=(
            required_keys(["post_urn", "metric", "value"]),
            known_keys(["post_urn", "metric", "value", "type", "source_type", "timeRange", "entity"]),
            not_null("post_urn"),
            matches("post_urn", "^urn:li:(share|ugcPost):[0-9]+$", "post URN is well-formed"),
            not_null("metric"),
            number("metric_value", "value is a non-negative number"),
        ),
    )
