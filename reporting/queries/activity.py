"""Activity in the period: what happened on the period's days, account × day.

Source: `marts.fct_account_metrics_daily` (the platform's account-level daily report; the sum of
the tracked posts' daily values only where a platform has none). A day counts as *known* for an
account when its activity is known and the day is on or before the account's `complete_through`
(`marts.mart_data_coverage`); every sum runs over known days only, so an unknown day is never a 0.

With post filters (formats, hashtags) an account-level report cannot be split: the activity is
then the sum of the matching posts' daily values (`marts.fct_post_metrics_daily`) on the days the
account has post-level data, with the same completeness rule.
"""

from __future__ import annotations

from reporting.queries.scope import KEYS, POST_FILTER, SCOPED

SUMMED = ("views", "impressions", "reach", "likes", "comments", "shares", "saves", "clicks", "engagements",
          "rate_base", "watch_time_minutes", "followers_net")
POST_SUMMED = SUMMED[:-1]  # post days have no followers


def _source(name: str, start: str, end: str, by_posts: bool) -> str:
    if not by_posts:
        columns = ", ".join(f"f.{'website_clicks' if m == 'clicks' else m} as {m}" for m in SUMMED)
        return f"""
    {name}_src as (
        select f.account_key, f.metric_date, {columns}, f.activity_source, f.is_estimated
        from marts.fct_account_metrics_daily as f
        where f.metric_date between {start} and {end}
          and f.account_key in (select scoped.account_key from scoped)
    )"""
    # a counter no post of the account reports stays unknown; a day with post data and no matching post is 0
    columns = ",\n".join(f"coalesce(sum(d.{m}) filter (where {POST_FILTER}), case when count(d.{m}) > 0 then 0 end)"
                         f" as {m}" for m in POST_SUMMED) + ", null::numeric as followers_net"
    return f"""
    {name}_src as (
        select d.account_key, d.metric_date, {columns}, 'post_sum'::text as activity_source,
               coalesce(bool_or(d.is_estimated) filter (where {POST_FILTER}), false) as is_estimated
        from marts.fct_post_metrics_daily as d
        inner join marts.dim_posts as p on p.post_key = d.post_key
        where d.metric_date between {start} and {end}
          and d.account_key in (select scoped.account_key from scoped)
        group by 1, 2
    )"""


def days(name: str, start: str, end: str, by_posts: bool = False) -> str:
    """CTEs `<name>_src` and `<name>`: every account in scope × every day of [start, end], with the
    day's activity and `is_known`. Needs the `scoped` CTE before it."""
    columns = ", ".join(f"src.{m}" for m in SUMMED)
    return _source(name, start, end, by_posts) + f""",
    {name} as (
        select s.account_key, s.platform, s.account_id, s.complete_through, g::date as metric_date, {columns},
               src.activity_source, coalesce(src.is_estimated, false) as is_estimated,
               coalesce(src.activity_source is not null and g::date <= s.complete_through, false) as is_known
        from scoped as s
        cross join generate_series({start}::date, {end}::date, interval '1 day') as g
        left join {name}_src as src on src.account_key = s.account_key and src.metric_date = g::date
    )"""


def _sums(alias: str = "d", prefix: str = "") -> str:
    return ",\n".join(f"sum({alias}.{prefix}{m}) filter (where {alias}.is_known) as {prefix}{m}" for m in SUMMED)


def by_group(group: str, by_posts: bool = False) -> str:
    """Activity per group key over the period's known days; account_days / known_days say how complete."""
    return f"""
    with {SCOPED}, {days('period', '%(start)s', '%(end)s', by_posts)}
    select {KEYS[group]} as key, count(*) as account_days, count(*) filter (where d.is_known) as known_days,
           count(*) filter (where d.is_known and d.is_estimated) as estimated_days,
           count(distinct d.account_key) as accounts,
           count(distinct d.account_key) filter (where d.is_known) as accounts_known,
           min(d.complete_through) as complete_through,
           {_sums()}
    from period as d
    group by 1 order by 1"""


def daily(by_posts: bool = False) -> str:
    """Activity per day of the trend window; accounts_known of accounts_active (accounts with any known day)."""
    return f"""
    with {SCOPED}, {days('trend', '%(trend_start)s', '%(end)s', by_posts)}
    select d.metric_date, count(*) filter (where d.is_known) as accounts_known,
           (select count(distinct t.account_key) from trend as t where t.is_known) as accounts_active,
           {_sums()}
    from trend as d
    group by 1 order by 1"""


def compared(group: str, by_posts: bool = False) -> str:
    """Like for like: the same account-days (same day of the period) known in both periods."""
    pairs = ", ".join(f"c.{m} as cur_{m}, p.{m} as prev_{m}" for m in SUMMED)
    sums = ",\n".join(f"sum(d.cur_{m}) as cur_{m}, sum(d.prev_{m}) as prev_{m}" for m in SUMMED)
    return f"""
    with {SCOPED}, {days('cur', '%(start)s', '%(end)s', by_posts)},
    {days('prev', '%(prev_start)s', '%(prev_end)s', by_posts)},
    pairs as (
        select c.account_key, c.platform, {pairs}
        from cur as c
        inner join prev as p
            on p.account_key = c.account_key
            and p.metric_date - %(prev_start)s::date = c.metric_date - %(start)s::date
        where c.is_known and p.is_known
    )
    select {KEYS[group]} as key, count(*) as compared_days, count(distinct d.account_key) as compared_accounts,
           {sums}
    from pairs as d
    group by 1 order by 1"""


def weekly(by_posts: bool = False) -> str:
    """Activity per ISO week × platform over the weeks ending with the period (engagement-rate trend)."""
    return f"""
    with {SCOPED}, {days('weeks', '%(weeks_start)s', '%(end)s', by_posts)}
    select date_trunc('week', d.metric_date)::date as week_start, d.platform, count(*) as account_days,
           count(*) filter (where d.is_known) as known_days, {_sums()}
    from weeks as d
    group by 1, 2 order by 1, 2"""


# Followers at the end of the period (last known value on or before it) and at its start (last known
# value on or before the day before it), per account.
FOLLOWERS = f"""
    with {SCOPED}
    select s.account_key, s.platform, s.account_id, s.account_name, s.followers_from,
           e.metric_date as end_date, e.followers as end_followers,
           b.metric_date as start_date, b.followers as start_followers
    from scoped as s
    left join lateral (
        select f.metric_date, f.followers from marts.fct_account_metrics_daily as f
        where f.account_key = s.account_key and f.metric_date <= %(end)s and f.followers is not null
        order by f.metric_date desc limit 1
    ) as e on true
    left join lateral (
        select f.metric_date, f.followers from marts.fct_account_metrics_daily as f
        where f.account_key = s.account_key and f.metric_date <= %(start)s::date - 1 and f.followers is not null
        order by f.metric_date desc limit 1
    ) as b on true
    order by s.account_key
"""

# Followers per account and day, the trend window and the day before it (audience growth, best/worst days).
FOLLOWERS_DAILY = f"""
    with {SCOPED}
    select f.account_key, s.platform, s.account_name, f.metric_date, f.followers, f.followers_net
    from scoped as s
    inner join marts.fct_account_metrics_daily as f
        on f.account_key = s.account_key
        and f.metric_date between %(trend_start)s::date - 1 and %(end)s
    order by f.account_key, f.metric_date
"""
