-- Each video's totals of the days before history start (the day rows begin there); the latest
-- read per video wins, and `history_start` says where its days end and the day rows take over.
with

latest as (
    select distinct on (account_id, payload ->> 'video_id') *
    from {{ source('youtube', 'youtube_video_totals') }}
    where {{ not_quarantined('youtube_video_totals') }}
    order by account_id, payload ->> 'video_id', raw_id desc
),

final as (
    select
        raw_id,
        account_id,
        payload ->> 'video_id' as video_id,
        (payload ->> 'before')::date as history_start,
        coalesce((payload ->> 'no_rows')::boolean, false) as had_no_activity,
        coalesce((payload ->> 'views')::bigint, 0) as views,
        coalesce((payload ->> 'engagedViews')::bigint, 0) as engaged_views,
        coalesce((payload ->> 'likes')::bigint, 0) as likes,
        coalesce((payload ->> 'comments')::bigint, 0) as comments,
        coalesce((payload ->> 'shares')::bigint, 0) as shares,
        coalesce((payload ->> 'estimatedMinutesWatched')::numeric, 0) as watch_time_minutes,
        fetched_at
    from latest
)

select * from final
