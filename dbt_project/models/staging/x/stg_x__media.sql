-- The latest version of each attached media object (photo, video, animated_gif).
with

source as (
    select * from {{ source('x', 'x_media') }}
    where {{ not_quarantined('x_media') }}
),

latest as (
    select distinct on (account_id, record_key) *
    from source
    order by account_id, record_key, fetched_at desc, raw_id desc
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
