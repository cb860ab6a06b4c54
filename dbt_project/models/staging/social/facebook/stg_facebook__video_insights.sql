-- Every stored snapshot of a Reel's / video's lifetime video_insights; `insights` keeps Graph's
-- envelope (int_facebook__video_insights_pivoted turns it into one column per metric).
with

source as (
    select * from {{ source('facebook', 'facebook_video_insights') }}
    where {{ not_quarantined('facebook_video_insights') }}
),

final as (
    select
        raw_id,
        account_id,
        payload ->> 'video_id' as video_id,
        payload ->> 'media_type' as media_type,
        payload -> 'data' as insights,
        fetched_at
    from source
)

select * from final
