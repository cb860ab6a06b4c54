-- The latest audience retention curve of each video; its points stay JSON in `curve_points`
-- (int_youtube__retention_curves_unnested unnests them).
with

source as (
    {{ latest_raw_records('youtube', 'youtube_video_retention') }}
),

final as (
    select
        raw_id,
        account_id,
        payload ->> 'video_id' as video_id,
        payload -> 'rows' as curve_points,
        fetched_at
    from source
)

select * from final
