-- One row per Facebook post: its latest snapshot and latest lifetime insights. Reels and videos
-- (from /video_reels, /videos) take their plays and watch time from video_insights.
with

posts as (
    select * from {{ ref('stg_facebook__post_snapshots') }}
),

post_insights as (
    select * from {{ ref('int_facebook__post_insights_pivoted') }}
),

videos as (
    select * from {{ ref('stg_facebook__videos') }}
),

video_insights as (
    select * from {{ ref('int_facebook__video_insights_pivoted') }}
),

latest_post as (
    select distinct on (account_id, post_id) *
    from posts
    order by account_id, post_id, fetched_at desc, raw_id desc
),

latest_insights as (
    select distinct on (account_id, post_id) *
    from post_insights
    order by account_id, post_id, fetched_at desc, raw_id desc
),

latest_video_insights as (
    select distinct on (account_id, video_id) *
    from video_insights
    order by account_id, video_id, fetched_at desc, raw_id desc
),

first_seen as (
    -- when tracking of the post began (its first snapshot): the marts' baseline is its lifetime then
    select
        account_id,
        post_id,
        min(fetched_at) as first_snapshot_at
    from posts
    group by 1, 2
),

final as (
    select
        'facebook'::text as platform,
        latest_post.account_id,
        latest_post.post_id,
        case
            when videos.media_type is not null then videos.media_type
            when latest_post.status_type = 'added_photos' then 'image'
            when latest_post.status_type = 'added_video' then 'video'
            when latest_post.status_type = 'shared_story' then 'link'
            else 'text'
        end as format,
        latest_post.published_at,
        videos.title,
        latest_post.message as caption,
        round(videos.length_s)::int as duration_s,
        latest_post.permalink,
        coalesce(latest_video_insights.plays, latest_insights.media_views) as lifetime_views,
        coalesce(latest_insights.media_viewers, latest_video_insights.unique_viewers) as lifetime_reach,
        null::bigint as lifetime_impressions,
        latest_post.reactions as lifetime_likes,
        latest_post.comments as lifetime_comments,
        latest_post.shares as lifetime_shares,
        null::bigint as lifetime_saves,
        latest_insights.clicks as lifetime_clicks,
        round(latest_video_insights.view_time_ms / 60000.0, 2) as lifetime_watch_time_minutes,
        round(latest_video_insights.avg_time_watched_ms / 1000.0, 2) as lifetime_avg_view_duration_s,
        latest_video_insights.complete_views as lifetime_completions,
        null::bigint as lifetime_swipe_aways,
        greatest(latest_post.fetched_at, latest_insights.fetched_at) as snapshot_at,
        first_seen.first_snapshot_at
    from latest_post
    left join latest_insights
        on latest_post.account_id = latest_insights.account_id
        and latest_post.post_id = latest_insights.post_id
    left join videos
        on latest_post.account_id = videos.account_id
        and latest_post.post_id = videos.post_id
    left join latest_video_insights
        on videos.account_id = latest_video_insights.account_id
        and videos.video_id = latest_video_insights.video_id
    left join first_seen
        on latest_post.account_id = first_seen.account_id
        and latest_post.post_id = first_seen.post_id
)

select * from final
