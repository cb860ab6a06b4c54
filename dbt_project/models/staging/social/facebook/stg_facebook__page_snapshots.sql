with

source as (
    select * from {{ source('facebook', 'facebook_pages') }}
    where {{ not_quarantined('facebook_pages') }}
),

final as (
    select
        raw_id,
        account_id,
        payload ->> 'id' as page_id,
        payload ->> 'name' as page_name,
        (payload ->> 'followers_count')::bigint as followers_count,
        (payload ->> 'fan_count')::bigint as fan_count,
        fetched_at
    from source
)

select * from final
