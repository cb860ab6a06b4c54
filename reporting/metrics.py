"""The metrics a report can show, with the definition printed next to them in every format.

Sums come from `marts.fct_post_metrics_daily` (per post and day), follower numbers from
`marts.fct_account_metrics_daily`, post counts from `marts.dim_posts`. A custom report may
only name metrics listed here, so a typo fails before any work instead of printing blanks.
"""

from decimal import ROUND_HALF_UP, Decimal

FOUR_PLACES = Decimal("0.0001")
SUMMED = ("views", "likes", "comments", "shares", "saves", "clicks", "reach", "impressions", "engagements",
          "watch_time_minutes")
DERIVED = ("engagement_rate", "posts_published", "followers", "followers_net")
METRICS = SUMMED + DERIVED
DEFAULT_METRICS = ("posts_published", "views", "engagements", "engagement_rate", "likes", "comments", "shares",
                   "watch_time_minutes", "followers", "followers_net")

DEFINITIONS = {
    "views": "Views in the period: sum of the daily views of every post (platform daily reports).",
    "likes": "Likes received in the period by all posts.",
    "comments": "Comments received in the period by all posts.",
    "shares": "Shares / reposts received in the period by all posts.",
    "saves": "Saves / bookmarks in the period (platforms that report them).",
    "clicks": "Link clicks in the period (platforms that report them).",
    "reach": "Sum of daily reach of the posts (not de-duplicated across days).",
    "impressions": "Sum of daily impressions of the posts.",
    "engagements": "likes + comments + shares + saves in the period (see docs/metrics.md for each platform).",
    "watch_time_minutes": "Minutes watched in the period (video platforms).",
    "engagement_rate": "engagements ÷ views × 100, in %; empty when views are 0 or unknown.",
    "posts_published": "Posts whose publish date (account time zone) falls in the period.",
    "followers": "Followers at the end of the period (last known daily value per account, summed).",
    "followers_net": "Followers gained − followers lost during the period.",
    "change_pct": "(this period − previous period) ÷ previous period × 100; empty when the previous value is 0.",
    "top_posts": "Posts ranked by engagement rate over the period, among posts with at least `min_views` views.",
    "best_time": "Weekday × hour (account time zone) whose posts of the last 90 days had the highest "
                 "engagement rate (engagements ÷ views up to the period end).",
    "posting_velocity": "Posts published per ISO week over the 12 weeks ending with the period.",
    "format": "The post format as the platform reports it (video, short, reel, image, text, …).",
}


def definitions_for(metrics) -> dict[str, str]:
    """Definitions of the chosen metrics plus the terms every report uses."""
    keys = [*metrics, *(k for k in DEFINITIONS if k not in METRICS)]
    return {key: DEFINITIONS[key] for key in keys}


def rate(numerator, denominator) -> float | None:
    """numerator ÷ denominator × 100 in %, rounded like dbt's `rate_pct` macro (numeric, 4 places,
    halves away from zero); None when the denominator is 0 or unknown — "no data" is not "0 %"."""
    if not denominator or numerator is None:
        return None
    value = Decimal(str(numerator)) / Decimal(str(denominator)) * 100
    return float(value.quantize(FOUR_PLACES, rounding=ROUND_HALF_UP))


def change_pct(current, previous) -> float | None:
    if current is None or not previous:
        return None
    return round((float(current) - float(previous)) / float(previous) * 100, 2)
