-- Every landed snapshot of a video (Display API): counts are lifetime values at fetched_at.
with

source as (
    select * from {{ source('tiktok', 'tiktok_videos') }}
    where {{ not_quarantined('tiktok_videos') }}
),

final as (
    select
        raw_id,
        account_id,
        payload ->> 'id' as video_id,
        payload ->> 'title' as title,
        payload ->> 'video_description' as description,
        to_timestamp((payload ->> 'create_time')::bigint) as published_at,
        (payload ->> 'duration')::integer as duration_s,
        payload ->> 'share_url' as share_url,
        (payload ->> 'view_count')::bigint as view_count,
        (payload ->> 'like_count')::bigint as like_count,
        (payload ->> 'comment_count')::bigint as comment_count,
        (payload ->> 'share_count')::bigint as share_count,
        fetched_at
    from source
)

select * from final
