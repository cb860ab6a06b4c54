-- Page followers by country and city (Graph: page_follows_country / page_follows_city, counts; the
-- retired page_fans_country / page_fans_city kept in raw feed the same dimensions), one row per value.
with

breakdowns as (
    select * from {{ ref('stg_facebook__page_audience_breakdowns') }}
),

final as (
    select
        'facebook'::text as platform,
        breakdowns.account_id,
        breakdowns.snapshot_date,
        'followers'::text as audience,
        case
            when breakdowns.metric_name in ('page_follows_country', 'page_fans_country') then 'country'
            else 'city'
        end as dimension,
        follow_counts.key as dimension_value,
        follow_counts.value::bigint::numeric as value,
        'count'::text as value_kind
    from breakdowns
    cross join lateral jsonb_each_text(breakdowns.follows_by_value) as follow_counts
)

select * from final
