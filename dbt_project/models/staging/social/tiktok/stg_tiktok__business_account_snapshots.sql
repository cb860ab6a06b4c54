-- Follower demographics of the latest Business API account snapshot of each day, one row per
-- (dimension, value). TikTok sends shares as fractions; they stay fractions here.
with

source as (
    select * from {{ source('tiktok', 'tiktok_business_accounts') }}
    where {{ not_quarantined('tiktok_business_accounts') }}
),

latest_per_day as (
    select distinct on (account_id, fetched_at::date) *
    from source
    order by account_id, fetched_at::date, fetched_at desc, raw_id desc
),

dimensions as (
    select 'age' as dimension, 'audience_ages' as payload_key, 'age' as value_key
    union all
    select 'gender', 'audience_genders', 'gender'
    union all
    select 'country', 'audience_countries', 'country'
),

final as (
    select
        latest_per_day.account_id || '|' || latest_per_day.fetched_at::date || '|' || dimensions.dimension
        || '|' || (entry ->> dimensions.value_key) as audience_row_id,
        latest_per_day.account_id,
        latest_per_day.fetched_at::date as snapshot_date,
        dimensions.dimension,
        entry ->> dimensions.value_key as dimension_value,
        (entry ->> 'percentage')::numeric as share,
        latest_per_day.fetched_at
    from latest_per_day
    cross join dimensions
    cross join lateral jsonb_array_elements(
        coalesce(latest_per_day.payload -> dimensions.payload_key, '[]'::jsonb)
    ) as entry
)

select * from final
