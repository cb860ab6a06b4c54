-- One row per LinkedIn post: latest post version + latest lifetime statistics (+ video analytics).
-- Reach = unique impressions; views, watch time and average view duration only exist for videos.
with

posts as (
    select * from {{ ref('stg_linkedin__posts') }}
),

post_stats as (
    select * from {{ ref('stg_linkedin__post_stats') }}
),

video_stats as (
    select * from {{ ref('stg_linkedin__video_stats') }}
),

latest_stats as (
    select distinct on (account_id, post_id) *
    from post_stats
    order by account_id, post_id, fetched_at desc, raw_id desc
),

latest_video as (
    select distinct on (account_id, post_id, metric) *
    from video_stats
    order by account_id, post_id, metric, fetched_at desc, raw_id desc
),

video as (
    select
        account_id,
        post_id,
        max(value) filter (where metric = 'video_views') as video_views,
        max(value) filter (where metric = 'watch_time_ms') as watch_time_ms
    from latest_video
    group by 1, 2
),

first_seen as (
    -- when tracking of the post began (its first snapshot): the marts' baseline is its lifetime then
    select
        account_id,
        post_id,
        min(fetched_at) as first_snapshot_at
    from post_stats
    group by 1, 2
),

final as (
    select
        'linkedin'::text as platform,
        posts.account_id,
        posts.post_id,
        posts.format,
        posts.published_at,
        posts.title,
        posts.commentary as caption,
        null::bigint as duration_s,
        posts.permalink,
        video.video_views as lifetime_views,
        latest_stats.unique_impressions as lifetime_reach,
        latest_stats.impressions as lifetime_impressions,
        latest_stats.likes as lifetime_likes,
        latest_stats.comments as lifetime_comments,
        latest_stats.shares as lifetime_shares,
        null::bigint as lifetime_saves,
        latest_stats.clicks as lifetime_clicks,
        round(video.watch_time_ms / 60000.0, 2) as lifetime_watch_time_minutes,
        case
            when video.video_views > 0 then round(video.watch_time_ms / 1000.0 / video.video_views, 2)
        end as lifetime_avg_view_duration_s,
        null::bigint as lifetime_completions,
        null::bigint as lifetime_swipe_aways,
        coalesce(latest_stats.fetched_at, posts.fetched_at) as snapshot_at,
        first_seen.first_snapshot_at
    from posts
    left join latest_stats
        on posts.account_id = latest_stats.account_id
        and posts.post_id = latest_stats.post_id
    left join video
        on posts.account_id = video.account_id
        and posts.post_id = video.post_id
    left join first_seen
        on posts.account_id = first_seen.account_id
        and posts.post_id = first_seen.post_id
)

select * from final
