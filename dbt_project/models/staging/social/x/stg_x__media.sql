-- The latest version of each attached media object (photo, video, animated_gif).
with

latest as (
    {{ latest_raw_records('x', 'x_media') }}
),

final as (
    select
        raw_id,
        account_id,
        payload ->> 'media_key' as media_key,
        payload ->> 'type' as media_type,
        (payload ->> 'duration_ms')::bigint as duration_ms,
        (payload -> 'public_metrics' ->> 'view_count')::bigint as video_views,
        fetched_at
    from latest
)

select * from final
