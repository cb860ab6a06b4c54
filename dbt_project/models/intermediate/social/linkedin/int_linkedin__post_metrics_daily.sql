-- LinkedIn has no per-post daily history: daily values are differences of lifetime snapshots
-- (the snapshot_daily_deltas macro). Video metrics join the share statistics of the same fetch.
with

post_stats as (
    select * from {{ ref('stg_linkedin__post_stats') }}
),

video_stats as (
    select * from {{ ref('stg_linkedin__video_stats') }}
),

video as (
    select
        account_id,
        post_id,
        fetched_at,
        max(value) filter (where metric = 'video_views') as video_views,
        max(value) filter (where metric = 'watch_time_ms') as watch_time_ms
    from video_stats
    group by 1, 2, 3
),

snapshots as (
    select
        post_stats.account_id,
        post_stats.post_id,
        post_stats.fetched_at,
        post_stats.impressions,
        post_stats.clicks,
        post_stats.likes,
        post_stats.comments,
        post_stats.shares,
        video.video_views,
        video.watch_time_ms
    from post_stats
    left join video
        on post_stats.account_id = video.account_id
        and post_stats.post_id = video.post_id
        and post_stats.fetched_at = video.fetched_at
),

deltas as (
    {{ snapshot_daily_deltas('snapshots', ['impressions', 'clicks', 'likes', 'comments', 'shares',
                                           'video_views', 'watch_time_ms'], ref('int_linkedin__posts')) }}
),

final as (
    select
        'linkedin'::text as platform,
        account_id,
        post_id,
        metric_date,
        video_views as views,
        likes,
        comments,
        shares,
        null::bigint as saves,
        clicks,
        null::bigint as reach,
        impressions,
        round(watch_time_ms / 60000.0, 2) as watch_time_minutes,
        case when video_views > 0 then round(watch_time_ms / 1000.0 / video_views, 2) end as avg_view_duration_s,
        null::bigint as engaged_views,
        null::bigint as completions,
        null::bigint as swipe_aways,
        'snapshot_diff'::text as metric_source,
        has_negative_delta,
        is_estimated,
        source_date
    from deltas
)

select * from final
