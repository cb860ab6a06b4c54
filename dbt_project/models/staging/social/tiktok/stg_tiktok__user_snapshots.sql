with

source as (
    select * from {{ source('tiktok', 'tiktok_users') }}
    where {{ not_quarantined('tiktok_users') }}
),

final as (
    select
        raw_id,
        account_id,
        payload ->> 'open_id' as open_id,
        payload ->> 'display_name' as display_name,
        payload ->> 'username' as username,
        (payload ->> 'follower_count')::bigint as follower_count,
        (payload ->> 'following_count')::bigint as following_count,
        (payload ->> 'likes_count')::bigint as likes_count,
        (payload ->> 'video_count')::bigint as video_count,
        fetched_at
    from source
)

select * from final
