-- Every snapshot of the IG user node (followers, follows, media counts): a history of account totals.
with

source as (
    select * from {{ source('instagram', 'instagram_users') }}
    where {{ not_quarantined('instagram_users') }}
),

final as (
    select
        raw_id,
        account_id,
        payload ->> 'id' as ig_user_id,
        payload ->> 'username' as username,
        (payload ->> 'followers_count')::bigint as followers_count,
        (payload ->> 'follows_count')::bigint as follows_count,
        (payload ->> 'media_count')::bigint as media_count,
        fetched_at
    from source
)

select * from final
