-- Every stored snapshot of a post's lifetime insights; `insights` keeps Graph's envelope
-- (int_facebook__post_insights_pivoted turns it into one column per metric).
with

source as (
    select * from {{ source('facebook', 'facebook_post_insights') }}
    where {{ not_quarantined('facebook_post_insights') }}
),

final as (
    select
        raw_id,
        account_id,
        payload ->> 'post_id' as post_id,
        payload ->> 'media_type' as media_type,
        payload -> 'data' as insights,
        fetched_at
    from source
)

select * from final
