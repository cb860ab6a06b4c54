-- Latest demographics per (audience metric, breakdown, snapshot day), one row per dimension value.
with

latest as (
    {{ latest_raw_records('instagram', 'instagram_demographics') }}
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
