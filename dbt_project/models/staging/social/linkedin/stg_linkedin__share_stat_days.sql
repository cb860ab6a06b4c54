-- Latest version of each day's org-wide share statistics: recent days are re-read (lookback) and grow.
with

latest as (
    {{ latest_raw_records('linkedin', 'linkedin_share_daily') }}
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
