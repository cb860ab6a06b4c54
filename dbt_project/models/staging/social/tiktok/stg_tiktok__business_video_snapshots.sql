-- Every landed Business API insight snapshot of a video: lifetime values at fetched_at.
-- full_video_watched_rate is a fraction (0..1); time watched is in seconds.
with

source as (
    select * from {{ source('tiktok', 'tiktok_business_videos') }}
    where {{ not_quarantined('tiktok_business_videos') }}
),

final as (
    select
        raw_id,
        account_id,
        payload ->> 'item_id' as video_id,
        (payload ->> 'reach')::bigint as reach,
        (payload ->> 'video_views')::bigint as video_views,
        (payload ->> 'likes')::bigint as likes,
        (payload ->> 'comments')::bigint as comments,
        (payload ->> 'shares')::bigint as shares,
        (payload ->> 'favorites')::bigint as favorites,
        (payload ->> 'total_time_watched')::numeric as total_time_watched_s,
        (payload ->> 'average_time_watched')::numeric as average_time_watched_s,
        (payload ->> 'full_video_watched_rate')::numeric as full_video_watched_rate,
        round((payload ->> 'video_views')::bigint * (payload ->> 'full_video_watched_rate')::numeric)::bigint
            as completions,
        fetched_at
    from source
)

select * from final
