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

dimension_lists as (
    select
        latest_per_day.account_id,
        latest_per_day.fetched_at::date as snapshot_date,
        dimension_list.dimension,
        dimension_list.value_key,
        dimension_list.entries
    from latest_per_day
    cross join lateral (
        values
        ('age', 'age', latest_per_day.audience_ages),
        ('gender', 'gender', latest_per_day.audience_genders),
        ('country', 'country', latest_per_day.audience_countries)
    ) as dimension_list (dimension, value_key, entries)
),

buckets as (
    select
        dimension_lists.account_id,
        dimension_lists.snapshot_date,
        dimension_lists.dimension,
        entry ->> dimension_lists.value_key as dimension_value,
        (entry ->> 'percentage')::numeric as share
    from dimension_lists
    cross join lateral jsonb_array_elements(coalesce(dimension_lists.entries, '[]'::jsonb)) as entry
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
