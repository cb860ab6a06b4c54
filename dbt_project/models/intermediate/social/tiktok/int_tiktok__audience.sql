-- TikTok follower demographics (Business API only; the Display API has none) from the latest account
-- snapshot of each day, one row per (dimension, bucket), as percentages.
with

snapshots as (
    select * from {{ ref('stg_tiktok__business_account_snapshots') }}
),

latest_per_day as (
    select distinct on (account_id, fetched_at::date) *
    from snapshots
    order by account_id, fetched_at::date, fetched_at desc, raw_id desc
),

buckets as (
    select
        latest_per_day.account_id,
        latest_per_day.fetched_at::date as snapshot_date,
        dimensions.dimension,
        entry ->> dimensions.value_key as dimension_value,
        (entry ->> 'percentage')::numeric as share
    from latest_per_day
    cross join lateral (
        values
        ('age', 'age', latest_per_day.audience_ages),
        ('gender', 'gender', latest_per_day.audience_genders),
        ('country', 'country', latest_per_day.audience_countries)
    ) as dimensions (dimension, value_key, entries)
    cross join lateral jsonb_array_elements(coalesce(dimensions.entries, '[]'::jsonb)) as entry
),

final as (
    select
        'tiktok'::text as platform,
        account_id,
        snapshot_date,
        'followers'::text as audience,
        dimension,
        dimension_value,
        round(share * 100, 2) as value,
        'percent'::text as value_kind
    from buckets
)

select * from final
