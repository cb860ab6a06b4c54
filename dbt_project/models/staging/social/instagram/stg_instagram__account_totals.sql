-- Latest total_value insights of each account day; `insights` keeps the API's list of metrics
-- (int_instagram__account_totals_pivoted turns it into one column per metric).
with

latest as (
    {{ latest_raw_records('instagram', 'instagram_account_totals') }}
),

final as (
    select
        raw_id,
        account_id,
        (payload ->> 'date')::date as metric_date,
        payload -> 'data' as insights,
        fetched_at
    from latest
)

select * from final
