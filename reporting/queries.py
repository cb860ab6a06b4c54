"""SQL over the core marts, every query restricted by the same scope (platforms, accounts, filters).

Only `marts.dim_*` / `marts.fct_*` are read: they exist as soon as dbt ran once, so reports work
whatever other marts are deployed. Group-by variants share one statement, so the platform, account
and format breakdowns can never use different definitions from the totals.
"""

from __future__ import annotations

from reporting.metrics import SUMMED

POST_SCOPE = """
    (%(platforms)s::text[] is null or p.platform = any(%(platforms)s::text[]))
    and (%(accounts)s::text[] is null or p.account_id = any(%(accounts)s::text[]))
    and (%(formats)s::text[] is null or p.format = any(%(formats)s::text[]))
    and (%(hashtags)s::text[] is null or string_to_array(p.hashtags, ',') && %(hashtags)s::text[])
"""
ACCOUNT_SCOPE = """
    (%(platforms)s::text[] is null or a.platform = any(%(platforms)s::text[]))
    and (%(accounts)s::text[] is null or a.account_id = any(%(accounts)s::text[]))
"""
GROUPINGS = {None: "'all'", "platform": "p.platform", "account": "p.platform || ':' || p.account_id",
             "format": "coalesce(p.format, 'unknown')",
             "platform_format": "p.platform || ' / ' || coalesce(p.format, 'unknown')"}
ACCOUNT_GROUPINGS = {None: "'all'", "platform": "a.platform", "account": "a.platform || ':' || a.account_id"}


def sums(by: str | None) -> str:
    columns = ",\n".join(f"coalesce(sum(d.{m}), 0) as {m}" for m in SUMMED)
    return f"""
        select {GROUPINGS[by]} as key, {columns}
        from marts.fct_post_metrics_daily as d
        inner join marts.dim_posts as p on p.post_key = d.post_key
        where d.metric_date between %(start)s and %(end)s and {POST_SCOPE}
        group by 1 order by 1"""


def published(by: str | None) -> str:
    return f"""
        select {GROUPINGS[by]} as key, count(*) as posts_published
        from marts.dim_posts as p
        where p.published_date_local between %(start)s and %(end)s and {POST_SCOPE}
        group by 1 order by 1"""


def followers(by: str | None) -> str:
    """Followers at the period end (last known value per account) and net change in the period."""
    key = ACCOUNT_GROUPINGS[by]
    return f"""
        with last as (
            select distinct on (a.account_key) a.platform, a.account_id, a.followers
            from marts.fct_account_metrics_daily as a
            where a.metric_date <= %(end)s and a.followers is not null and {ACCOUNT_SCOPE}
            order by a.account_key, a.metric_date desc
        ), net as (
            select {key} as key, sum(a.followers_net) as followers_net
            from marts.fct_account_metrics_daily as a
            where a.metric_date between %(start)s and %(end)s and {ACCOUNT_SCOPE}
            group by 1
        ), ends as (
            select {key} as key, sum(a.followers) as followers from last as a group by 1
        )
        select coalesce(ends.key, net.key) as key, coalesce(ends.followers, 0) as followers,
               coalesce(net.followers_net, 0) as followers_net
        from ends full outer join net on ends.key = net.key order by 1"""


ACCOUNT_NAMES = f"""
    select a.platform || ':' || a.account_id as key, a.platform, a.account_id, a.account_name
    from marts.dim_accounts as a where {ACCOUNT_SCOPE} order by 1
"""

DAILY_TREND = f"""
    with days as (select day::date as metric_date from generate_series(%(trend_start)s::date, %(end)s::date,
                  interval '1 day') as day),
    daily as (
        select d.metric_date, {", ".join(f"sum(d.{m}) as {m}" for m in SUMMED)}
        from marts.fct_post_metrics_daily as d
        inner join marts.dim_posts as p on p.post_key = d.post_key
        where d.metric_date between %(trend_start)s and %(end)s and {POST_SCOPE}
        group by 1
    )
    select days.metric_date, {", ".join(f"coalesce(daily.{m}, 0) as {m}" for m in SUMMED)}
    from days left join daily on daily.metric_date = days.metric_date order by 1
"""

TOP_POSTS = f"""
    select p.post_key, p.platform, p.account_id, p.format, p.title, p.permalink,
           p.published_date_local as published_date,
           {", ".join(f"coalesce(sum(d.{m}), 0) as {m}" for m in SUMMED)}
    from marts.fct_post_metrics_daily as d
    inner join marts.dim_posts as p on p.post_key = d.post_key
    where d.metric_date between %(start)s and %(end)s and {POST_SCOPE}
    group by p.post_key, p.platform, p.account_id, p.format, p.title, p.permalink, p.published_date_local
    having coalesce(sum(d.views), 0) >= %(min_views)s and sum(d.views) > 0
    order by sum(d.engagements)::numeric / sum(d.views) desc, sum(d.views) desc, p.post_key
    limit %(top_n)s
"""

POSTING_TIMES = f"""
    select p.published_weekday_local as weekday, p.published_hour_local as hour, count(distinct p.post_key) as posts,
           coalesce(sum(d.views), 0) as views, coalesce(sum(d.engagements), 0) as engagements
    from marts.dim_posts as p
    inner join marts.fct_post_metrics_daily as d on d.post_key = p.post_key and d.metric_date <= %(end)s
    where p.published_date_local between %(end)s::date - 89 and %(end)s and {POST_SCOPE}
    group by 1, 2 order by 1, 2
"""

AUDIENCE_DAILY = f"""
    select a.metric_date, a.platform, sum(a.followers) as followers, sum(a.followers_net) as followers_net
    from marts.fct_account_metrics_daily as a
    where a.metric_date between %(trend_start)s and %(end)s and {ACCOUNT_SCOPE}
    group by 1, 2 order by 1, 2
"""

POSTING_VELOCITY = f"""
    select date_trunc('week', p.published_date_local)::date as week_start, p.platform, count(*) as posts_published
    from marts.dim_posts as p
    where p.published_date_local between date_trunc('week', %(end)s::date)::date - 77 and %(end)s and {POST_SCOPE}
    group by 1, 2 order by 1, 2
"""

RAW_DAILY_ROWS = f"""
    select d.metric_date, p.platform, p.account_id, p.post_key, p.format,
           {", ".join(f"d.{m}" for m in SUMMED)}, d.engagement_rate
    from marts.fct_post_metrics_daily as d
    inner join marts.dim_posts as p on p.post_key = d.post_key
    where d.metric_date between %(start)s and %(end)s and {POST_SCOPE}
    order by d.metric_date, p.post_key
"""
