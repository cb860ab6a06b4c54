-- Account × day: followers/following from the day's last user snapshot (carried forward over
-- days whose snapshot did not change), engagement as the sum of the posts' daily deltas.
-- X gives no follows/unfollows split, no profile views and no reach.
with

snapshots as (
    select * from {{ ref('stg_x__user_snapshots') }}
),

post_daily as (
    select * from {{ ref('int_x__post_metrics_daily') }}
),

user_days as (
    select distinct on (account_id, fetched_at::date)
        account_id,
        fetched_at::date as metric_date,
        followers,
        following
    from snapshots
    order by account_id, fetched_at::date, fetched_at desc, raw_id desc
),

post_days as (
    select
        account_id,
        metric_date,
        sum(views) as views,
        sum(impressions) as impressions,
        sum(likes) as likes,
        sum(comments) as comments,
        sum(shares) as shares,
        sum(saves) as saves
    from post_daily
    group by 1, 2
),

days as (
    select
        account_id,
        metric_date
    from user_days
    union
    select
        account_id,
        metric_date
    from post_days
),

final as (
    select
        'x'::text as platform,
        days.account_id,
        days.metric_date,
        known.followers,
        known.following,
        null::bigint as profile_views,
        null::bigint as website_clicks,
        null::bigint as reach,
        post_days.impressions::bigint as impressions,
        post_days.views::bigint as views,
        post_days.likes::bigint as likes,
        post_days.comments::bigint as comments,
        post_days.shares::bigint as shares,
        post_days.saves::bigint as saves,
        null::numeric as watch_time_minutes,
        null::bigint as followers_gained,
        null::bigint as followers_lost
    from days
    left join post_days
        on days.account_id = post_days.account_id
        and days.metric_date = post_days.metric_date
    left join lateral (
        select
            user_days.followers,
            user_days.following
        from user_days
        where user_days.account_id = days.account_id
            and user_days.metric_date <= days.metric_date
        order by user_days.metric_date desc
        limit 1
    ) as known on true
)

select * from final
