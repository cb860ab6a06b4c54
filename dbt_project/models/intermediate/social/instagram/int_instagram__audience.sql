-- Instagram audience demographics (timeframe this_month, top 45 values): followers, engaged and
-- reached audiences by age, gender, country and city, as counts of accounts.
with

demographics as (
    select * from {{ ref('stg_instagram__demographic_breakdowns') }}
),

final as (
    select
        'instagram'::text as platform,
        account_id,
        snapshot_date,
        case metric
            when 'follower_demographics' then 'followers'
            when 'engaged_audience_demographics' then 'engaged'
            when 'reached_audience_demographics' then 'reached'
        end::text as audience,
        breakdown::text as dimension,
        dimension_value::text as dimension_value,
        value::numeric as value,
        'count'::text as value_kind
    from demographics
)

select * from final
