-- Latest version of each day's follower gains. LinkedIn reports net gains (they can be negative).
with

source as (
    select * from {{ source('linkedin', 'linkedin_follower_daily') }}
    where {{ not_quarantined('linkedin_follower_daily') }}
),

latest as (
    select distinct on (account_id, record_key) *
    from source
    order by account_id, record_key, fetched_at desc, raw_id desc
),

final as (
    select
        raw_id,
        account_id || '|' || (payload ->> 'date') as account_day_key,
        account_id,
        (payload ->> 'date')::date as metric_date,
        (payload -> 'followerGains' ->> 'organicFollowerGain')::bigint as organic_follower_gain,
        (payload -> 'followerGains' ->> 'paidFollowerGain')::bigint as paid_follower_gain,
        fetched_at
    from latest
)

select * from final
