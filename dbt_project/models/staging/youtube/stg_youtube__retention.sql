with

source as (
    select distinct on (account_id, record_key) *
    from {{ source('youtube', 'youtube_video_retention') }}
    where {{ not_quarantined('youtube_video_retention') }}
    order by account_id, record_key, fetched_at desc, raw_id desc
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
