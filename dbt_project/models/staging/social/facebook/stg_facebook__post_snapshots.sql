-- Every stored snapshot of a post (history for snapshot deltas); `shares` is absent until shared.
with

source as (
    select * from {{ source('facebook', 'facebook_posts') }}
    where {{ not_quarantined('facebook_posts') }}
),

final as (
    select
        raw_id,
        account_id,
        payload ->> 'id' as post_id,
        payload ->> 'message' as message,
        (payload ->> 'created_time')::timestamptz as published_at,
        payload ->> 'status_type' as status_type,
        payload ->> 'permalink_url' as permalink,
        (payload -> 'reactions' -> 'summary' ->> 'total_count')::bigint as reactions,
        (payload -> 'comments' -> 'summary' ->> 'total_count')::bigint as comments,
        coalesce((payload -> 'shares' ->> 'count')::bigint, 0) as shares,
        fetched_at
    from source
)

select * from final
