-- Instagram audience demographics (timeframe this_month, top 45 values): followers, engaged and
-- reached audiences by age, gender, country and city, as counts of accounts, one row per value.
with

breakdowns as (
    select * from {{ ref('stg_instagram__demographic_breakdowns') }}
),

final as (
    select
        'instagram'::text as platform,
        breakdowns.account_id,
        breakdowns.snapshot_date,
        case breakdowns.metric
            when 'follower_demographics' then 'followers'
            when 'engaged_audience_demographics' then 'engaged'
            when 'reached_audience_demographics' then 'reached'
        end::text as audience,
        breakdowns.breakdown::text as dimension,
        (result -> 'dimension_values' ->> 0)::text as dimension_value,
        (result ->> 'value')::bigint::numeric as value,
        'count'::text as value_kind
    from breakdowns
    cross join lateral jsonb_array_elements(coalesce(breakdowns.breakdown_results, '[]'::jsonb)) as result
)

select * from final
