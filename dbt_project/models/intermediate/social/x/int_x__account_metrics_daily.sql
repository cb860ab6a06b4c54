-- Account × day: followers/following from the day's last user snapshot (carried forward over
-- days without one; days before the first snapshot are unknown). X gives no account activity by
-- day, no follows/unfollows split, no profile views and no reach: the activity columns stay NULL
-- here and the social union falls back to the sum of the posts' daily values ('post_sum').
with

snapshots as (
    select * from {{ ref('stg_x__user_snapshots') }}
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

final as (
    select
        'x'::text as platform,
        user_days.account_id,
        user_days.metric_date,
        user_days.followers,
        user_days.following,
        null::bigint as profile_views,
        null::bigint as website_clicks,
        null::bigint as reach,
        null::bigint as impressions,
        null::bigint as views,
        null::bigint as likes,
        null::bigint as comments,
        null::bigint as shares,
        null::bigint as saves,
        null::numeric as watch_time_minutes,
        null::bigint as followers_gained,
        null::bigint as followers_lost,
        null::bigint as reported_engagements,
        'snapshot'::text as followers_source
    from user_days
)

select * from final
