-- TikTok has no per-video daily report: daily values are differences of lifetime snapshots
-- (snapshot_daily_deltas). Views/likes/comments/shares from the Display API snapshots;
-- saves, watch time and completions from Business API snapshots when the account has them.
-- Reach is unique viewers and cannot be differenced into days: null.
with

display_snapshots as (
    select
        account_id,
        video_id as post_id,
        fetched_at,
        view_count as views,
        like_count as likes,
        comment_count as comments,
        share_count as shares
    from {{ ref('stg_tiktok__video_snapshots') }}
),

business_snapshots as (
    select
        account_id,
        video_id as post_id,
        fetched_at,
        favorites as saves,
        total_time_watched_s as watch_time_s,
        completions
    from {{ ref('stg_tiktok__business_video_snapshots') }}
),

display_daily as (
    {{ snapshot_daily_deltas('display_snapshots', ['views', 'likes', 'comments', 'shares'], ref('int_tiktok__posts')) }}
),

business_daily as (
    {{ snapshot_daily_deltas('business_snapshots', ['saves', 'watch_time_s', 'completions'],
                             ref('int_tiktok__posts'), decimal_metrics=['watch_time_s']) }}
),

final as (
    select
        'tiktok'::text as platform,
        display_daily.account_id,
        display_daily.post_id,
        display_daily.metric_date,
        display_daily.views,
        display_daily.likes,
        display_daily.comments,
        display_daily.shares,
        business_daily.saves,
        null::bigint as clicks,
        null::bigint as reach,
        null::bigint as impressions,
        round(business_daily.watch_time_s / 60, 2) as watch_time_minutes,
        case
            when display_daily.views > 0 and business_daily.watch_time_s is not null
                then round(business_daily.watch_time_s / display_daily.views, 2)
        end as avg_view_duration_s,
        null::bigint as engaged_views,
        business_daily.completions,
        null::bigint as swipe_aways,
        'snapshot_diff'::text as metric_source,
        display_daily.has_negative_delta or coalesce(business_daily.has_negative_delta, false) as has_negative_delta,
        display_daily.is_estimated or coalesce(business_daily.is_estimated, false) as is_estimated,
        greatest(display_daily.source_date, business_daily.source_date) as source_date
    from display_daily
    left join business_daily
        on display_daily.account_id = business_daily.account_id
        and display_daily.post_id = business_daily.post_id
        and display_daily.metric_date = business_daily.metric_date
)

select * from final
