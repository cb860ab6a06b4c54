-- Latest total_value metrics of each account day, one column per metric; follows_and_unfollows is
-- split by follow_type (FOLLOWER = new follows, NON_FOLLOWER = unfollows).
with

totals as (
    select * from {{ ref('stg_instagram__account_totals') }}
),

items as (
    select
        totals.raw_id,
        item ->> 'name' as metric,
        (item -> 'total_value' ->> 'value')::bigint as value,
        item -> 'total_value' -> 'breakdowns' -> 0 -> 'results' as results
    from totals
    cross join lateral jsonb_array_elements(coalesce(totals.insights, '[]'::jsonb)) as item
),

follow_types as (
    select
        items.raw_id,
        sum((result ->> 'value')::bigint) filter (
            where result -> 'dimension_values' ->> 0 = 'FOLLOWER'
        ) as follows,
        sum((result ->> 'value')::bigint) filter (
            where result -> 'dimension_values' ->> 0 = 'NON_FOLLOWER'
        ) as unfollows
    from items
    cross join lateral jsonb_array_elements(coalesce(items.results, '[]'::jsonb)) as result
    where items.metric = 'follows_and_unfollows'
    group by 1
),

pivoted as (
    select
        raw_id,
        max(value) filter (where metric = 'views') as views,
        max(value) filter (where metric = 'accounts_engaged') as accounts_engaged,
        max(value) filter (where metric = 'total_interactions') as total_interactions,
        max(value) filter (where metric = 'likes') as likes,
        max(value) filter (where metric = 'comments') as comments,
        max(value) filter (where metric = 'saves') as saves,
        max(value) filter (where metric = 'shares') as shares
    from items
    group by 1
),

final as (
    select
        totals.raw_id,
        totals.account_id,
        totals.metric_date,
        pivoted.views,
        pivoted.accounts_engaged,
        pivoted.total_interactions,
        pivoted.likes,
        pivoted.comments,
        pivoted.saves,
        pivoted.shares,
        follow_types.follows,
        follow_types.unfollows,
        totals.fetched_at
    from totals
    left join pivoted on totals.raw_id = pivoted.raw_id
    left join follow_types on totals.raw_id = follow_types.raw_id
)

select * from final
