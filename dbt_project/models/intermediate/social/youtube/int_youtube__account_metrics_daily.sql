-- Channel daily metrics from the Analytics day report. Subscribers per day are reconstructed
-- backwards from the latest subscriberCount snapshot and the daily gained/lost counts.
with

daily as (
    select * from {{ ref('stg_youtube__channel_days') }}
),

snapshots as (
    select * from {{ ref('stg_youtube__channel_snapshots') }}
),

latest_snapshot as (
    select distinct on (account_id)
        account_id,
        subscriber_count,
        video_count,
        fetched_at::date as snapshot_date
    from snapshots
    order by account_id, fetched_at desc, raw_id desc
),

with_running as (
    select
        daily.*,
        sum(coalesce(daily.subscribers_gained, 0) - coalesce(daily.subscribers_lost, 0)) over (
            partition by daily.account_id order by daily.metric_date
        ) as running_net
    from daily
),

net_at_snapshot as (
    select
        with_running.account_id,
        max(with_running.running_net) filter (
            where with_running.metric_date = (
                select max(inner_daily.metric_date) from daily as inner_daily
                where inner_daily.account_id = with_running.account_id
                    and inner_daily.metric_date <= latest_snapshot.snapshot_date
            )
        ) as running_net_at_snapshot
    from with_running
    inner join latest_snapshot on with_running.account_id = latest_snapshot.account_id
    group by 1
),

final as (
    select
        'youtube'::text as platform,
        with_running.account_id,
        with_running.metric_date,
        (
            latest_snapshot.subscriber_count
            - (coalesce(net_at_snapshot.running_net_at_snapshot, 0) - with_running.running_net)
        ) as followers,
        null::bigint as following,
        null::bigint as profile_views,
        null::bigint as website_clicks,
        null::bigint as reach,
        null::bigint as impressions,
        with_running.views,
        with_running.likes,
        with_running.comments,
        with_running.shares,
        null::bigint as saves,
        with_running.watch_time_minutes,
        with_running.subscribers_gained as followers_gained,
        with_running.subscribers_lost as followers_lost,
        null::bigint as reported_engagements,
        'reconstructed'::text as followers_source
    from with_running
    left join latest_snapshot on with_running.account_id = latest_snapshot.account_id
    left join net_at_snapshot on with_running.account_id = net_at_snapshot.account_id
)

select * from final
