-- Organization daily metrics: share statistics and follower gains by day (ending at today − 2 days).
-- LinkedIn's account-level views are its impressions (as X's are): share statistics count no other views.
-- Followers per day are reconstructed backwards from the latest networkSizes total and the net daily
-- gains after that day; LinkedIn reports only net gains, so followers_lost is NULL.
with

share_daily as (
    select * from {{ ref('stg_linkedin__share_stat_days') }}
),

follower_daily as (
    select * from {{ ref('stg_linkedin__follower_gain_days') }}
),

network_sizes as (
    select * from {{ ref('stg_linkedin__network_sizes') }}
),

latest_size as (
    select distinct on (account_id)
        account_id,
        follower_count
    from network_sizes
    order by account_id, snapshot_date desc, fetched_at desc
),

days as (
    select
        coalesce(share_daily.account_id, follower_daily.account_id) as account_id,
        coalesce(share_daily.metric_date, follower_daily.metric_date) as metric_date,
        share_daily.impressions,
        share_daily.likes,
        share_daily.comments,
        share_daily.shares,
        coalesce(follower_daily.organic_follower_gain, 0) + coalesce(follower_daily.paid_follower_gain, 0)
            as net_gain,
        follower_daily.account_id is not null as has_follower_day
    from share_daily
    full outer join follower_daily
        on share_daily.account_id = follower_daily.account_id
        and share_daily.metric_date = follower_daily.metric_date
),

with_later_gains as (
    select
        days.*,
        coalesce(sum(days.net_gain) over (
            partition by days.account_id order by days.metric_date rows between 1 following and unbounded following
        ), 0) as gains_after
    from days
),

final as (
    select
        'linkedin'::text as platform,
        with_later_gains.account_id,
        with_later_gains.metric_date,
        (latest_size.follower_count - with_later_gains.gains_after)::bigint as followers,
        null::bigint as following,
        null::bigint as profile_views,
        null::bigint as website_clicks,
        null::bigint as reach,
        with_later_gains.impressions,
        with_later_gains.impressions as views,
        with_later_gains.likes,
        with_later_gains.comments,
        with_later_gains.shares,
        null::bigint as saves,
        null::numeric as watch_time_minutes,
        case when with_later_gains.has_follower_day then with_later_gains.net_gain end as followers_gained,
        null::bigint as followers_lost,
        null::bigint as reported_engagements,
        'reconstructed'::text as followers_source
    from with_later_gains
    left join latest_size on with_later_gains.account_id = latest_size.account_id
)

select * from final
