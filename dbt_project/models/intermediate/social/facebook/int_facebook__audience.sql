-- Page followers by country and city (Graph: page_follows_country / page_follows_city, counts).
with

audience as (
    select * from {{ ref('stg_facebook__page_audience_breakdowns') }}
),

final as (
    select
        'facebook'::text as platform,
        account_id,
        snapshot_date,
        'followers'::text as audience,
        dimension,
        dimension_value,
        follows::numeric as value,
        'count'::text as value_kind
    from audience
)

select * from final
