-- Latest version of each (video, day) row: the Analytics API revises recent days (48–72 h lag),
-- and the connector re-reads a lookback window, so a newer fetch replaces an older one.
with

latest as (
    {{ latest_raw_records('youtube', 'youtube_video_daily') }}
),

final as (
    select
        raw_id,
        account_id,
        payload ->> 'video_id' as video_id,
        (payload ->> 'day')::date as metric_date,
        payload ->> 'creatorContentType' as creator_content_type,
        (payload ->> 'views')::bigint as views,
        (payload ->> 'engagedViews')::bigint as engaged_views,
        (payload ->> 'estimatedMinutesWatched')::numeric as watch_time_minutes,
        (payload ->> 'averageViewDuration')::numeric as avg_view_duration_s,
        (payload ->> 'likes')::bigint as likes,
        (payload ->> 'comments')::bigint as comments,
        (payload ->> 'shares')::bigint as shares,
        (payload ->> 'subscribersGained')::bigint as subscribers_gained,
        (payload ->> 'subscribersLost')::bigint as subscribers_lost,
        fetched_at
    from latest
)

select * from final
