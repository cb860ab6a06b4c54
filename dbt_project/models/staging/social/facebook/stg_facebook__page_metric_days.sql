-- Page metrics per day as Graph reports them (/insights period=day), one row per (day, metric): the
-- latest fetch of each — the 2-day lookback re-reads late data. Graph stamps a day with the next
-- midnight, Pacific time. Only numeric values are day totals; other shapes are left out.
with

latest as (
    {{ latest_raw_records('facebook', 'facebook_page_insights') }}
),

final as (
    select
        raw_id,
        account_id,
        ((payload ->> 'end_time')::timestamptz at time zone 'America/Los_Angeles')::date - 1 as metric_date,
        payload ->> 'name' as metric_name,
        (payload ->> 'value')::bigint as metric_value,
        fetched_at
    from latest
    where jsonb_typeof(payload -> 'value') = 'number'
)

select * from final
