with

source as (
    {{ latest_raw_records('youtube', 'youtube_video_retention') }}
),

final as (
    select
        source.account_id,
        source.payload ->> 'video_id' as video_id,
        (point ->> 'elapsedVideoTimeRatio')::numeric as elapsed_ratio,
        (point ->> 'audienceWatchRatio')::numeric as audience_watch_ratio,
        source.fetched_at
    from source
    cross join lateral jsonb_array_elements(source.payload -> 'rows') as point
)

select * from final
