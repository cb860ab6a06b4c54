-- Latest demographics per (audience metric, breakdown, snapshot day), one row per dimension value.
with

source as (
    select * from {{ source('instagram', 'instagram_demographics') }}
    where {{ not_quarantined('instagram_demographics') }}
),

latest as (
    select distinct on (account_id, record_key) *
    from source
    order by account_id, record_key, fetched_at desc, raw_id desc
),

final as (
    select
        latest.raw_id,
        latest.account_id,
        latest.payload ->> 'name' as metric,
        latest.payload ->> 'breakdown' as breakdown,
        latest.payload ->> 'timeframe' as timeframe,
        (latest.payload ->> 'snapshot_date')::date as snapshot_date,
        result -> 'dimension_values' ->> 0 as dimension_value,
        (result ->> 'value')::bigint as value,
        latest.fetched_at
    from latest
    cross join lateral jsonb_array_elements(
        coalesce(latest.payload -> 'total_value' -> 'breakdowns' -> 0 -> 'results', '[]'::jsonb)
    ) as result
)

select * from final
