-- Account × day. With the Business API: TikTok's own daily numbers (views, profile views,
-- engagement, follower gains/losses and end-of-day followers). Without it: followers/following
-- from the last user/info snapshot of the day, engagement summed from the post snapshot deltas.
with

business as (
    select * from {{ ref('stg_tiktok__business_account_days') }}
),

users as (
    select * from {{ ref('stg_tiktok__user_snapshots') }}
),

post_daily as (
    select * from {{ ref('int_tiktok__post_metrics_daily') }}
),

user_per_day as (
    select distinct on (account_id, fetched_at::date)
        account_id,
        fetched_at::date as metric_date,
        follower_count,
        following_count
    from users
    order by account_id, fetched_at::date, fetched_at desc, raw_id desc
),

post_totals as (
    select
        account_id,
        metric_date,
        sum(views) as views,
        sum(likes) as likes,
        sum(comments) as comments,
        sum(shares) as shares,
        sum(saves) as saves,
        sum(watch_time_minutes) as watch_time_minutes
    from post_daily
    group by 1, 2
),

days as (
    select
        account_id,
        metric_date
    from business
    union
    select
        account_id,
        metric_date
    from user_per_day
),

final as (
    select
        'tiktok'::text as platform,
        days.account_id,
        days.metric_date,
        coalesce(business.followers, user_per_day.follower_count) as followers,
        user_per_day.following_count as following,
        business.profile_views,
        null::bigint as website_clicks,
        null::bigint as reach,
        null::bigint as impressions,
        coalesce(business.video_views, post_totals.views) as views,
        coalesce(business.likes, post_totals.likes) as likes,
        coalesce(business.comments, post_totals.comments) as comments,
        coalesce(business.shares, post_totals.shares) as shares,
        post_totals.saves,
        post_totals.watch_time_minutes,
        business.followers_gained,
        business.followers_lost
    from days
    left join business
        on days.account_id = business.account_id
        and days.metric_date = business.metric_date
    left join user_per_day
        on days.account_id = user_per_day.account_id
        and days.metric_date = user_per_day.metric_date
    left join post_totals
        on days.account_id = post_totals.account_id
        and days.metric_date = post_totals.metric_date
)

select * from final
