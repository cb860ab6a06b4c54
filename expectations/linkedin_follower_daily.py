"""raw.linkedin_follower_daily — follower gains per day (followers_gained of the account marts)."""

from expectations._common import TableSuite, counter, day_in_range, known_keys, not_null, required_keys


def build() -> TableSuite:
    gains = "payload -> 'followerGains'"
    return TableSuite(
        platform="linkedin",
        table="linkedin_follower_daily",
        select=(f"payload ->> 'date' as metric_date, {gains} ->> 'organicFollowerGain' as organic_gain, "
                f"{gains} ->> 'paidFollowerGain' as paid_gain"),
        rules=(
            required_keys(["date", "followerGains"]),
            known_keys(["date", "timeRange", "followerGains", "organizationalEntity"]),
            not_null("metric_date"),
            day_in_range("metric_date", "linkedin"),
            counter("organic_gain"),
            counter("paid_gain"),
        ),
    )
