-- Latest version of each day's org-wide share statistics: recent days are re-read (lookback) and grow.
with

source as (
    select * from {{ source('linkedin', 'linkedin_share_daily') }}
    where {{ not_quarantined('linkedin_share_daily') }}
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
        (payload -> 'totalShareStatistics' ->> 'impressionCount')::bigint as impressions,
        (payload -> 'totalShareStatistics' ->> 'uniqueImpressionsCount')::bigint as unique_impressions,
        (payload -> 'totalShareStatistics' ->> 'clickCount')::bigint as clicks,
        (payload -> 'totalShareStatistics' ->> 'likeCount')::bigint as likes,
        (payload -> 'totalShareStatistics' ->> 'commentCount')::bigint as comments,
        (payload -> 'totalShareStatistics' ->> 'shareCount')::bigint as shares,
        (payload -> 'totalShareStatistics' ->> 'engagement')::numeric as engagement_rate,
        fetched_at
    from latest
)

select * from final
