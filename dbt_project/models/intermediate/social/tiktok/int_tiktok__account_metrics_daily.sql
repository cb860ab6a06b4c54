-- Account × day. With the Business API: TikTok's own daily numbers (views, profile views,
-- engagement, follower gains/losses and end-of-day followers). Without it TikTok gives no account
-- activity by day: the activity columns stay NULL here and the social union falls back to the sum
-- of the videos' daily values (activity_source 'post_sum'); followers come from the user/info
-- snapshots, carried forward from the first one (earlier days: unknown).
with

business as (
    select * from {{ ref('stg_tiktok__business_account_days') }}
),

users as (
    select * from {{ ref('stg_tiktok__user_snapshots') }}
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
        coalesce(business.followers, known.follower_count) as followers,
        known.following_count as following,
        business.profile_views,
        null::bigint as website_clicks,
        null::bigint as reach,
        null::bigint as impressions,
        business.video_views as views,
        business.likes,
        business.comments,
        business.shares,
        null::bigint as saves,
        null::numeric as watch_time_minutes,
        business.followers_gained,
        business.followers_lost,
        null::bigint as reported_engagements,
        case
            when business.followers is not null then 'daily_report'
            when known.follower_count is not null then 'snapshot'
        end as followers_source
    from days
    left join business
        on days.account_id = business.account_id
        and days.metric_date = business.metric_date
    left join lateral (
        select
            user_per_day.follower_count,
            user_per_day.following_count
        from user_per_day
        where user_per_day.account_id = days.account_id
            and user_per_day.metric_date <= days.metric_date
        order by user_per_day.metric_date desc
        limit 1
    ) as known on true
)

select * from final
