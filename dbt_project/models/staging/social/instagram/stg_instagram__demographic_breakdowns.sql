-- Latest demographics per (audience metric, breakdown, snapshot day); the breakdown's results stay
-- JSON in `breakdown_results` (int_instagram__audience unnests them).
with

latest as (
    {{ latest_raw_records('instagram', 'instagram_demographics') }}
),

final as (
    select
        raw_id,
        account_id,
        payload ->> 'name' as metric,
        payload ->> 'breakdown' as breakdown,
        payload ->> 'timeframe' as timeframe,
        (payload ->> 'snapshot_date')::date as snapshot_date,
        payload -> 'total_value' -> 'breakdowns' -> 0 -> 'results' as breakdown_results,
        fetched_at
    from latest
)

select * from final
