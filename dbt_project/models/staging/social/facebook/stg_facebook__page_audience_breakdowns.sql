-- Page follows by country / city (lifetime), the latest fetch of each (day, metric). Graph stamps a
-- day with the next midnight, Pacific time; `follows_by_value` maps each country / city to its
-- followers (int_facebook__audience unnests it).
with

source as (
    {{ latest_raw_records('facebook', 'facebook_page_audience') }}
),

final as (
    select
        raw_id,
        account_id,
        payload ->> 'name' as metric_name,
        ((payload ->> 'end_time')::timestamptz at time zone 'America/Los_Angeles')::date - 1 as snapshot_date,
        payload -> 'value' as follows_by_value,
        fetched_at
    from source
)

select * from final
