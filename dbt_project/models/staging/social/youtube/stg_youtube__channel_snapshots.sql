with

source as (
    select * from {{ source('youtube', 'youtube_channels') }}
    where {{ not_quarantined('youtube_channels') }}
),

final as (
    select
        raw_id,
        account_id,
        payload ->> 'id' as channel_id,
        payload -> 'snippet' ->> 'title' as channel_title,
        (payload -> 'statistics' ->> 'subscriberCount')::bigint as subscriber_count,
        (payload -> 'statistics' ->> 'viewCount')::bigint as view_count,
        (payload -> 'statistics' ->> 'videoCount')::bigint as video_count,
        fetched_at
    from source
)

select * from final
