-- Latest value of each (metric, day) of the account time series: recent days are re-read
-- (insights lag up to 48 h), so a newer fetch replaces an older one.
with

latest as (
    {{ latest_raw_records('instagram', 'instagram_account_daily') }}
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
