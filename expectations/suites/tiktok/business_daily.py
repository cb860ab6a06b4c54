"""raw.tiktok_business_daily — Business API per-date account metrics (feed the account marts)."""

from expectations.rules import Rule, TableSuite, counter, known_keys, not_null, required_keys

DAY = "^[0-9][0-9][0-9][0-9]-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"  # no braces: see matches()
METRICS = ("video_views", "profile_views", "likes", "comments", "shares", "daily_new_followers",
           "daily_lost_followers", "daily_total_followers")


def build() -> TableSuite:
    return TableSuite(
        platform="tiktok",
        table="tiktok_business_daily",
        select="payload ->> 'date' as metric_date, " + ", ".join(f"payload ->> '{m}' as {m}" for m in METRICS),
        rules=(
            required_keys(["date"]),
            known_keys(["date", *METRICS]),
            not_null("metric_date"),
            Rule("date is a real YYYY-MM-DD day between TikTok's launch and tomorrow (compared as text: "
                 "a corrupt date must fail the rule, not crash the check)",
                 f"metric_date !~ '{DAY}' or metric_date < '2016-09-01' "
                 "or metric_date > to_char(current_date + 1, 'YYYY-MM-DD')"),
            *(counter(metric) for metric in METRICS),
        ),
    )
