-- Latest total_value metrics of each account day; follows_and_unfollows split by follow_type
-- (FOLLOWER = new follows, NON_FOLLOWER = unfollows).
with

latest as (
    {{ latest_raw_records('instagram', 'instagram_account_totals') }}
),

items as (
    select
        latest.raw_id,
        item ->> 'name' as metric,
        (item -> 'total_value' ->> 'value')::bigint as value,
        item -> 'total_value' -> 'breakdowns' -> 0 -> 'results' as results
    from latest
    cross join lateral jsonb_array_elements(coalesce(latest.payload -> 'data', '[]'::jsonb)) as item
),

follow_types as (
    select
        items.raw_id,
        sum((result ->> 'value')::bigint) filter (where result -> 'dimension_values' ->> 0 = 'FOLLOWER') as follows,
        sum((result ->> 'value')::bigint) filter (where result -> 'dimension_values' ->> 0 = 'NON_FOLLOWER') as unfollows
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
        latest.raw_id,
        latest.account_id,
        (latest.payload ->> 'date')::date as metric_date,
        pivoted.views,
        pivoted.accounts_engaged,
        pivoted.total_interactions,
        pivoted.likes,
        pivoted.comments,
        pivoted.saves,
        pivoted.shares,
        follow_types.follows,
        follow_types.unfollows,
        latest.fetched_at
    from latest
    left join pivoted on latest.raw_id = pivoted.raw_id
    left join follow_types on latest.raw_id = follow_types.raw_id
)

select * from final
