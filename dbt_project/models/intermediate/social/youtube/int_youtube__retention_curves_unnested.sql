-- One row per point of a video's audience retention curve (elapsedVideoTimeRatio →
-- audienceWatchRatio), from the latest curve of each video.
with

curves as (
    select * from {{ ref('stg_youtube__retention_curves') }}
),

final as (
    select
        curves.account_id,
        curves.video_id,
        (point ->> 'elapsedVideoTimeRatio')::numeric as elapsed_ratio,
        (point ->> 'audienceWatchRatio')::numeric as audience_watch_ratio,
        curves.fetched_at
    from curves
    cross join lateral jsonb_array_elements(curves.curve_points) as point
)

select * from final
