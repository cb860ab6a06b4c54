-- Every landed Business API account snapshot: followers, and the follower demographics as JSON lists
-- of {<bucket key>, percentage} with shares as fractions (int_tiktok__audience unnests them).
with

source as (
    select * from {{ source('tiktok', 'tiktok_business_accounts') }}
    where {{ not_quarantined('tiktok_business_accounts') }}
),

final as (
    select
        raw_id,
        account_id,
        (payload ->> 'followers_count')::bigint as followers_count,
        payload -> 'audience_ages' as audience_ages,
        payload -> 'audience_genders' as audience_genders,
        payload -> 'audience_countries' as audience_countries,
        fetched_at
    from source
)

select * from final
