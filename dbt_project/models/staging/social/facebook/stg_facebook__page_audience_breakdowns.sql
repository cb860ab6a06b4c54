-- Page follows by country / city: the latest fetch of each (day, metric), one row per value.
with

source as (
    {{ latest_raw_records('facebook', 'facebook_page_audience') }}
),

final as (
    select
        source.account_id,
        ((source.payload ->> 'end_time')::timestamptz at time zone 'America/Los_Angeles')::date - 1 as snapshot_date,
        case
            when source.payload ->> 'name' in ('page_follows_country', 'page_fans_country') then 'country'
            else 'city'
        end as dimension,
        item.key as dimension_value,
        item.value::bigint as follows,
        source.account_id || '|' || source.record_key || '|' || item.key as audience_key,
        source.fetched_at
    from source
    cross join lateral jsonb_each_text(source.payload -> 'value') as item
)

select * from final
