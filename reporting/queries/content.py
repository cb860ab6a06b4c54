"""Content published in the period: lifetime results, as of each account's last sync, of the posts
whose publish date (account time zone) falls in the period (`marts.mart_content_performance`).

Also the post-level queries that are neither view: posting velocity (posts per week), the best
posting times (`marts.mart_posting_times`) and the streamed post × day export.
"""

from __future__ import annotations

from reporting.queries.scope import ACCOUNT_SCOPE, KEYS, POST_SCOPE

LIFETIME = ("views", "impressions", "likes", "comments", "shares", "saves", "clicks", "engagements", "rate_base",
            "watch_time_minutes")

PUBLISHED = f"""
    select c.post_key, c.account_key, c.platform, c.account_id, c.format, c.published_at,
           c.published_date_local, c.data_as_of, {", ".join(f"c.{m}" for m in LIFETIME)}, c.engagement_rate,
           c.viral_potential, c.performance_score,
           coalesce(p.title, left(split_part(p.caption, E'\n', 1), 120)) as title, p.permalink
    from marts.mart_content_performance as c
    inner join marts.dim_posts as p on p.post_key = c.post_key
    where c.published_date_local between %(start)s and %(end)s and {POST_SCOPE}
"""


def by_group(group: str) -> str:
    """Posts published in the period and the sums of their lifetime counters, per group key."""
    sums = ", ".join(f"sum(d.{m}) as {m}" for m in LIFETIME)
    return f"""
    select {KEYS[group]} as key, count(*) as posts, {sums},
           min(d.data_as_of) as data_as_of_min, max(d.data_as_of) as data_as_of
    from ({PUBLISHED}) as d
    group by 1 order by 1"""


# Ranked by lifetime engagement rate among posts with at least min_views on the rate base
# (ties: more engagements, then newer) — the rule of marts.mart_top_posts, on the report's period.
TOP_POSTS = f"""
    select d.* from ({PUBLISHED}) as d
    where d.rate_base >= greatest(%(min_views)s, 1) and d.engagement_rate is not null
    order by d.engagement_rate desc, d.engagements desc, d.published_at desc, d.post_key
    limit %(top_n)s
"""

POSTS = f"""
    select d.* from ({PUBLISHED}) as d
    order by d.platform, d.account_id, d.published_at, d.post_key
"""

POSTING_VELOCITY = f"""
    select date_trunc('week', p.published_date_local)::date as week_start, p.platform, count(*) as posts_published
    from marts.dim_posts as p
    where p.published_date_local between %(weeks_start)s and %(end)s and {POST_SCOPE}
    group by 1, 2 order by 1, 2
"""

# The best slots of each account (marts.mart_posting_times: each post's lifetime engagement rate,
# thin slots shrunk toward the account mean), in the account's own time zone.
POSTING_TIMES = f"""
    select t.account_key, a.platform, a.account_id, a.account_name, a.timezone, t.slot_rank, t.weekday, t.hour,
           t.posts, t.mean_engagement_rate, t.shrunk_engagement_rate, t.account_mean_engagement_rate, t.lift_pct,
           t.confidence, t.is_confident
    from marts.mart_posting_times as t
    inner join marts.dim_accounts as a on a.account_key = t.account_key
    where t.slot_rank <= %(best_slots)s and {ACCOUNT_SCOPE}
    order by a.platform, a.account_id, t.slot_rank, t.weekday, t.hour
"""

# Weekday × hour over the accounts in scope: posts-weighted mean lift of the shrunk rate over each
# account's mean (accounts compare with themselves, so different audiences can be pooled).
POSTING_GRID = f"""
    select t.weekday, t.hour, sum(t.posts) as posts,
           round(sum(t.lift_pct * t.posts) / nullif(sum(t.posts) filter (where t.lift_pct is not null), 0), 2)
               as lift_pct
    from marts.mart_posting_times as t
    inner join marts.dim_accounts as a on a.account_key = t.account_key
    where {ACCOUNT_SCOPE}
    group by 1, 2 order by 1, 2
"""

# Every tracked post × day of the period (streamed to post_metrics_daily.csv): post-level daily values,
# estimated where the platform has no per-post days (differences of lifetime snapshots).
RAW_DAILY_ROWS = f"""
    select d.metric_date, p.platform, p.account_id, p.post_key, p.format,
           d.views, d.likes, d.comments, d.shares, d.saves, d.clicks, d.reach, d.impressions, d.engagements,
           d.watch_time_minutes, d.rate_base, d.engagement_rate, d.metric_source, d.is_estimated
    from marts.fct_post_metrics_daily as d
    inner join marts.dim_posts as p on p.post_key = d.post_key
    where d.metric_date between %(start)s and %(end)s and {POST_SCOPE}
    order by d.metric_date, p.post_key
"""
