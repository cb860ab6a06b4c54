-- Total followers (networkSizes firstDegreeSize), latest fetch per snapshot day.
with

source as (
    select * from {{ source('linkedin', 'linkedin_network_sizes') }}
    where {{ not_quarantined('linkedin_network_sizes') }}
),

latest as (
    select distinct on (account_id, record_key) *
    from source
    order by account_id, record_key, fetched_at desc, raw_id desc
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
