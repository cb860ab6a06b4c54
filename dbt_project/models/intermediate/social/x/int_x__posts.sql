-- One row per X post: its latest snapshot, the format from its media (else link/text).
-- X's "Views" are impression_count, so views and impressions carry the same number;
-- shares = reposts + quotes (both redistribute the post).
with

posts as (
    select * from {{ ref('stg_x__posts') }}
),

media as (
    select * from {{ ref('stg_x__media') }}
),

final as (
    select
        'x'::text as platform,
        posts.account_id,
        posts.post_id,
        case
            when media.media_type in ('video', 'animated_gif') then 'video'
            when media.media_type = 'photo' then 'image'
            when posts.has_link then 'link'
            else 'text'
        end as format,
        posts.published_at,
        null::text as title,
        posts.post_text as caption,
        (media.duration_ms / 1000)::bigint as duration_s,
        posts.permalink,
        posts.impressions as lifetime_views,
        null::bigint as lifetime_reach,
        posts.impressions as lifetime_impressions,
        posts.likes as lifetime_likes,
        posts.replies as lifetime_comments,
        posts.retweets + posts.quotes as lifetime_shares,
        posts.bookmarks as lifetime_saves,
        posts.url_link_clicks as lifetime_clicks,
        null::numeric as lifetime_watch_time_minutes,
        null::numeric as lifetime_avg_view_duration_s,
        null::bigint as lifetime_completions,
        null::bigint as lifetime_swipe_aways,
        posts.fetched_at as snapshot_at
    from posts
    left join media
        on posts.account_id = media.account_id
        and posts.media_key = media.media_key
)

select * from final
