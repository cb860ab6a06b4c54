-- Every lifetime snapshot of a post's share statistics (history kept: daily values are their deltas).
with

source as (
    select * from {{ source('linkedin', 'linkedin_post_stats') }}
    where {{ not_quarantined('linkedin_post_stats') }}
),

final as (
    select
        raw_id,
        account_id,
        payload ->> 'post_urn' as post_id,
        (payload -> 'totalShareStatistics' ->> 'impressionCount')::bigint as impressions,
        (payload -> 'totalShareStatistics' ->> 'uniqueImpressionsCount')::bigint as unique_impressions,
        (payload -> 'totalShareStatistics' ->> 'clickCount')::bigint as clicks,
        (payload -> 'totalShareStatistics' ->> 'likeCount')::bigint as likes,
        (payload -> 'totalShareStatistics' ->> 'commentCount')::bigint as comments,
        (payload -> 'totalShareStatistics' ->> 'shareCount')::bigint as shares,
        (payload -> 'totalShareStatistics' ->> 'engagement')::numeric as engagement_rate,
        fetched_at
    from source
)

select * from final
