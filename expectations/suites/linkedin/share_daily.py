"""raw.linkedin_share_daily — org-wide share statistics per day (feeds the account marts)."""

from expectations.rules import TableSuite, counter, matches, not_null, required_keys

COUNTERS = ("impressionCount", "clickCount", "likeCount", "commentCount", "shareCount")


def build() -> TableSuite:
    stats = "payload -> 'totalShareStatistics'"
    return TableSuite(
        platform="linkedin",
        table="linkedin_share_daily",
        select=", ".join(["payload ->> 'date' as metric_date",
                          *(f"{stats} ->> '{name}' as {name.lower()}" for name in COUNTERS)]),
        rules=(
            required_keys(["date", "timeRange", "totalShareStatistics"]),
            not_null("metric_date"),
            matches("metric_date", "^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]$", "date is YYYY-MM-DD"),
            *(counter(name.lower()) for name in COUNTERS),
        ),
    )
