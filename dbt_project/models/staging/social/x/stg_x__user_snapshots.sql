-- Every landed snapshot of each account's public counters (X keeps no history: these are it).
with

source as (
    select * from {{ source('x', 'x_users') }}
    where {{ not_quarantined('x_users') }}
),

final as (
    select
        raw_id,
        account_id,
        payload ->> 'id' as user_id,
        payload ->> 'username' as username,
        payload ->> 'name' as display_name,
        (payload -> 'public_metrics' ->> 'followers_count')::bigint as followers,
        (payload -> 'public_metrics' ->> 'following_count')::bigint as following,
        (payload -> 'public_metrics' ->> 'tweet_count')::bigint as post_count,
        (payload -> 'public_metrics' ->> 'listed_count')::bigint as listed_count,
        fetched_at
    from source
)

select * from final
