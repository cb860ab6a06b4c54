-- Every stored snapshot of a Reel's / video's lifetime video_insights, one column per metric. Times
-- arrive in milliseconds. A snapshot whose envelope has no entries is left out.
with

snapshots as (
    select * from {{ ref('stg_facebook__video_insights') }}
),

metrics as (
    {{ graph_lifetime_values('snapshots') }}
),

final as (
    select
        snapshots.raw_id,
        snapshots.account_id,
        snapshots.video_id,
        snapshots.media_type,
        coalesce((metrics.m ->> 'blue_reels_play_count')::bigint, (metrics.m ->> 'total_video_views')::bigint) as plays,
        (metrics.m ->> 'fb_reels_total_plays')::bigint as total_plays,
        (metrics.m ->> 'fb_reels_replay_count')::bigint as replays,
        (metrics.m ->> 'total_video_views_unique')::bigint as unique_viewers,
        coalesce(
            (metrics.m ->> 'post_video_view_time')::numeric, (metrics.m ->> 'total_video_view_total_time')::numeric
        ) as view_time_ms,
        coalesce(
            (metrics.m ->> 'post_video_avg_time_watched')::numeric,
            (metrics.m ->> 'total_video_avg_time_watched')::numeric
        ) as avg_time_watched_ms,
        (metrics.m ->> 'total_video_complete_views')::bigint as complete_views,
        (metrics.m -> 'post_video_social_actions' ->> 'COMMENT')::bigint as social_comments,
        (metrics.m -> 'post_video_social_actions' ->> 'SHARE')::bigint as social_shares,
        snapshots.fetched_at
    from snapshots
    inner join metrics on snapshots.raw_id = metrics.raw_id
)

select * from final
