-- Latest value of each (metric, day) of the account time series: recent days are re-read
-- (insights lag up to 48 h), so a newer fetch replaces an older one.
with

source as (
    select * from {{ source('instagram', 'instagram_account_daily') }}
    where {{ not_quarantined('instagram_account_daily') }}
),

latest as (
    select distinct on (account_id, record_key) *
    from source
    order by account_id, record_key, fetched_at desc, raw_id desc
),

final as (
    select
        raw_id,
        account_id,
        payload ->> 'name' as metric,
        (payload ->> 'date')::date as metric_date,
        (payload ->> 'value')::bigint as value,
        fetched_at
    from latest
)

select * from final
