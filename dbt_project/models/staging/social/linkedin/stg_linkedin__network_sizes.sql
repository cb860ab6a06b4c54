-- Total followers (networkSizes firstDegreeSize), latest fetch per snapshot day.
with

latest as (
    {{ latest_raw_records('linkedin', 'linkedin_network_sizes') }}
),

final as (
    select
        raw_id,
        account_id || '|' || (payload ->> 'snapshot_date') as account_day_key,
        account_id,
        (payload ->> 'snapshot_date')::date as snapshot_date,
        (payload ->> 'firstDegreeSize')::bigint as follower_count,
        fetched_at
    from latest
)

select * from final
