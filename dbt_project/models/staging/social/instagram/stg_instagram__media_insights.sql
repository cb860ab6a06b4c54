-- Every lifetime-insights snapshot of a media; `insights` keeps the API's list of metrics
-- (int_instagram__media_insights_pivoted turns it into one column per metric).
with

source as (
    select * from {{ source('instagram', 'instagram_media_insights') }}
    where {{ not_quarantined('instagram_media_insights') }}
),

final as (
    select
        raw_id,
        account_id,
        payload ->> 'media_id' as media_id,
        payload ->> 'media_product_type' as media_product_type,
        payload ->> 'unavailable' as unavailable_reason,
        payload -> 'data' as insights,
        fetched_at
    from source
)

select * from final
