-- Account × day: reach from the daily time series, views/likes/comments/shares/saves and
-- follows/unfollows from the daily total_value metrics, followers/following from the last user
-- snapshot taken that day (NULL on days without one). profile_views and website_clicks were
-- retired by Instagram on 2025-01-08 and stay NULL; followers_gained falls back to follower_count.
with

series as (
    select * from {{ ref('stg_instagram__account_metric_days') }}
),

totals as (
    select * from {{ ref('int_instagram__account_totals_pivoted') }}
),

users as (
    select * from {{ ref('stg_instagram__user_snapshots') }}
),

series_by_day as (
    select
        account_id,
        metric_date,
        max(value) filter (where metric = 'reach') as reach,
        max(value) filter (where metric = 'follower_count') as new_followers
    from series
    group by 1, 2
),

user_by_day as (
    select distinct on (account_id, fetched_at::date)
        account_id,
        fetched_at::date as metric_date,
        followers_count,
        follows_count
    from users
    order by account_id, fetched_at::date, fetched_at desc, raw_id desc
),

days as (
    select
        account_id,
        metric_date
    from series_by_day
    union
    select
        account_id,
        metric_date
    from totals
),

final as (
    select
        'instagram'::text as platform,
        days.account_id,
        days.metric_date,
        user_by_day.followers_count::bigint as followers,
        user_by_day.follows_count::bigint as following,
        null::bigint as profile_views,
        null::bigint as website_clicks,
        series_by_day.reach::bigint as reach,
        null::bigint as impressions,
        totals.views::bigint as views,
        totals.likes::bigint as likes,
        totals.comments::bigint as comments,
        totals.shares::bigint as shares,
        totals.saves::bigint as saves,
        null::numeric as watch_time_minutes,
        coalesce(totals.follows, series_by_day.new_followers)::bigint as followers_gained,
        totals.unfollows::bigint as followers_lost
    from days
    left join series_by_day
        on days.account_id = series_by_day.account_id
        and days.metric_date = series_by_day.metric_date
    left join totals
        on days.account_id = totals.account_id
        and days.metric_date = totals.metric_date
    left join user_by_day
        on days.account_id = user_by_day.account_id
        and days.metric_date = user_by_day.metric_date
)

select * from final
