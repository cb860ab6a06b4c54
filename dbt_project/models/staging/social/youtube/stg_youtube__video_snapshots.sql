with

source as (
    select * from {{ source('youtube', 'youtube_videos') }}
    where {{ not_quarantined('youtube_videos') }}
),

final as (
    select
        raw_id,
        account_id,
        payload ->> 'id' as video_id,
        payload -> 'snippet' ->> 'title' as title,
        payload -> 'snippet' ->> 'description' as description,
        (payload -> 'snippet' ->> 'publishedAt')::timestamptz as published_at,
        {{ iso8601_duration_seconds("payload -> 'contentDetails' ->> 'duration'") }} as duration_s,
        (payload -> 'statistics' ->> 'viewCount')::bigint as view_count,
        (payload -> 'statistics' ->> 'likeCount')::bigint as like_count,
        (payload -> 'statistics' ->> 'commentCount')::bigint as comment_count,
        'https://www.youtube.com/watch?v=' || (payload ->> 'id') as permalink,
        fetched_at
    from source
)

select * from final
