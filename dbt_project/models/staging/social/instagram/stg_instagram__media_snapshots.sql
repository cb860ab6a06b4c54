-- Every snapshot of every media item (feed, Reels, carousels, stories).
with

source as (
    select * from {{ source('instagram', 'instagram_media') }}
    where {{ not_quarantined('instagram_media') }}
),

final as (
    select
        raw_id,
        account_id,
        payload ->> 'id' as media_id,
        payload ->> 'media_type' as media_type,
        payload ->> 'media_product_type' as media_product_type,
        payload ->> 'caption' as caption,
        payload ->> 'permalink' as permalink,
        (payload ->> 'timestamp')::timestamptz as published_at,
        (payload ->> 'like_count')::bigint as like_count,
        (payload ->> 'comments_count')::bigint as comments_count,
        fetched_at
    from source
)

select * from final
