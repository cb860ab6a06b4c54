"""raw.linkedin_follower_daily — follower gains per day (followers_gained of the account marts)."""

from expectations.rules import TableSuite, day_in_range, known_keys, matches, not_null, required_keys


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
            # Net gains: a day with more unfollows than follows is legitimately negative.
            matches("organic_gain", "^-?[0-9]+$", "organic_gain is an integer (net gain, may be negative)"),
            matches("paid_gain", "^-?[0-9]+$", "paid_gain is an integer (net gain, may be negative)"),
        ),
        generic=False,  # the payload-wide "no negative number" walk would refuse real net losses
    )
