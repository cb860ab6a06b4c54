-- Latest version of each day's follower gains. LinkedIn reports net gains (they can be negative).
with

latest as (
    {{ latest_raw_records('linkedin', 'linkedin_follower_daily') }}
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
