"""The metrics a report can show, with the definition printed next to them in every format, and the one
rate helper every rate a report computes goes through (it rounds like dbt's `rate_pct`).

A custom report may only name metrics listed here, so a typo fails before any work instead of
printing blanks.
"""

from decimal import ROUND_HALF_UP, Decimal

FOUR_PLACES = Decimal("0.0001")
SUMMED = ("views", "likes", "comments", "shares", "saves", "clicks", "reach", "impressions", "engagements",
          "watch_time_minutes")
DERIVED = ("engagement_rate", "posts_published", "followers", "followers_net")
METRICS = SUMMED + DERIVED
DEFAULT_METRICS = ("posts_published", "views", "engagements", "engagement_rate", "likes", "comments", "shares",
                   "watch_time_minutes", "followers", "followers_net")

ENGAGEMENTS = ("likes + comments + shares. Reactions count as likes, replies as comments, retweets + quotes and "
               "reposts as shares; a Facebook Page's activity is Meta's own engagement total for the Page. Saves "
               "and clicks are not engagements: they are counted separately.")
RATE = ("engagements ÷ the platform's rate base × 100, in %: views, or impressions on LinkedIn (LinkedIn reports "
        "video views for videos only). Sums: Σ engagements ÷ Σ rate base. Empty when the base is 0 or unknown — "
        "no data is not 0 %.")

DEFINITIONS = {
    "views": "Activity in the period: views of all the account's content on the period's complete days "
             "(X: impressions; LinkedIn: impressions, its rate base). In the content view (content_views, "
             "top posts, formats, posts): the post's lifetime views, LinkedIn impressions.",
    "likes": "Likes / reactions received on the period's complete days (activity).",
    "comments": "Comments / replies received on the period's complete days (activity).",
    "shares": "Shares / reposts / retweets + quotes on the period's complete days (activity).",
    "saves": "Saves / bookmarks on the period's complete days (platforms that report them); not engagements.",
    "clicks": "Clicks on the profile's website link on the period's complete days (account level, platforms that "
              "report them); not engagements.",
    "reach": "Σ of the daily reach of the account (people are counted once per day, not once per period).",
    "impressions": "Impressions on the period's complete days (platforms that report them).",
    "engagements": ENGAGEMENTS,
    "watch_time_minutes": "Minutes watched on the period's complete days (video platforms).",
    "engagement_rate": RATE,
    "posts_published": "Posts whose publish date (account time zone) falls in the period (content view).",
    "followers": "Followers at the end of the period: each account's last known value on or before the period "
                 "end (followers_as_of), summed. Unknown when no value is known by then — said in the note "
                 "(e.g. 'tracked from 2026-11-16'), never 0.",
    "followers_net": "Followers at the period end − followers at its start (the last known value before the "
                     "period), for accounts whose followers are known at both ends.",
    "activity view": "Activity in the period — what happened on the period's days: the platforms' account-level "
                     "daily reports (the sum of the tracked posts' daily values where a platform has none: X, "
                     "TikTok without the Business API), over complete days only.",
    "content view": "Content published in the period — lifetime results, as of the last sync (content_as_of), of "
                    "the posts published in the period.",
    "complete_through": "The last day whose numbers the platform no longer changes (per account). Later days of "
                        "the period are partial: the report shows the complete days and names the missing ones.",
    "is_partial": "True when some account-days of the row are not complete or unknown (see note and the Data "
                  "coverage section); the numbers are sums over the complete days only.",
    "content_views": "Σ lifetime views (LinkedIn: impressions) of the posts published in the period, as of the "
                     "last sync.",
    "content_engagements": "Σ lifetime engagements of the posts published in the period, as of the last sync.",
    "content_engagement_rate": "Σ lifetime engagements ÷ Σ lifetime rate base of the posts published in the "
                               "period × 100, in %.",
    "change_pct": "Like for like: (this period − previous period) ÷ previous period × 100 over the account-days "
                  "known in both periods (the same day of each period); empty when the previous value is 0 or "
                  "unknown. Rates change in percentage points.",
    "top_posts": "Posts published in the period ranked by lifetime engagement rate, among posts with at least "
                 "`min_views` views (rate base); ties: more engagements, then newer.",
    "best_time": "Weekday × hour in each account's own time zone with the highest shrunk engagement rate "
                 "(marts.mart_posting_times: each post's lifetime rate; a slot with few posts is pulled toward "
                 "the account mean). lift_pct: % above the account mean; confidence low (< 5 posts), medium "
                 "(≥ 5), high (≥ 10).",
    "posting_velocity": "Posts published per ISO week over the 12 weeks ending with the period.",
    "format": "The post format (long_video, short, reel, video, image, carousel, story, text, link).",
    "engagements_per_1000_followers": "Activity engagements on the compared days ÷ followers at their end × 1,000.",
    "engagements_per_1000_views": "Activity engagements ÷ views × 1,000: the same denominator on every platform.",
    "engagements_per_100_followers": "Engagements in the period ÷ followers × 100 — an upper bound of the share "
                                     "of followers who engaged (platforms do not report unique engagers).",
    "net_followers_per_1000_views": "Net followers on the complete days ÷ views on the same days × 1,000.",
    "index": "Followers indexed to the period start (= 100 on index_base, the day before the period or the first "
             "day the platform's followers are known).",
    "coverage sources": "activity from: 'account report' = the platform's account-level daily report; 'post sums' "
                        "= the sum of the tracked posts' daily values (only where a platform has no account report; "
                        "known from the second sync on, a post published before tracking counts what it gained "
                        "since). followers: 'daily totals' from the platform; 'reconstructed' = the latest total "
                        "minus the later days' net gains; 'snapshots' = the total seen at each sync. post metrics: "
                        "'daily report' = the platform's per-post days; 'snapshot differences' = differences of "
                        "lifetime snapshots (from the second sync on; a gap between syncs is spread and flagged "
                        "estimated).",
    "simulated data": "Accounts served by Tidemark's built-in platform simulator (tidemark.yaml `simulated: true`)"
                      ": synthetic numbers, not a real account's.",
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


def per(numerator, denominator, scale: int = 1000, places: int = 4) -> float | None:
    """numerator per `scale` of denominator (per 1,000 views, per post …), rounded like dbt's
    `round(numeric, 4)`; None when the denominator is 0 or unknown."""
    if not denominator or numerator is None:
        return None
    value = Decimal(str(numerator)) * scale / Decimal(str(denominator))
    return float(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def change_pct(current, previous) -> float | None:
    if current is None or not previous:
        return None
    return round((float(current) - float(previous)) / float(previous) * 100, 2)
