with

latest as (
    {{ latest_raw_records('youtube', 'youtube_channel_daily') }}
),

final as (
    select
        raw_id,
        account_id,
        (payload ->> 'day')::date as metric_date,
        (payload ->> 'views')::bigint as views,
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
