-- Reels (/video_reels) and videos (/videos); the latest row of each video.
with

source as (
    {{ latest_raw_records('facebook', 'facebook_videos') }}
),

final as (
    select
        raw_id,
        account_id,
        payload ->> 'id' as video_id,
        payload ->> 'post_id' as post_id,
        case when endpoint = 'video_reels' then 'reel' else 'video' end as media_type,
        payload ->> 'title' as title,
        payload ->> 'description' as description,
        (payload ->> 'created_time')::timestamptz as published_at,
        (payload ->> 'length')::numeric as length_s,
        case
            when payload ->> 'permalink_url' like '/%' then 'https://www.facebook.com' || (payload ->> 'permalink_url')
            else payload ->> 'permalink_url'
        end as permalink,
        fetched_at
    from source
)

select * from final
