-- Every stored snapshot of a post's lifetime insights, one column per metric. Retired source names
-- kept in raw (post_impressions*) feed their successors' columns. A snapshot whose envelope has no
-- entries is left out.
with

snapshots as (
    select * from {{ ref('stg_facebook__post_insights') }}
),

metrics as (
    {{ graph_lifetime_values('snapshots') }}
),

final as (
    select
        snapshots.raw_id,
        snapshots.account_id,
        snapshots.post_id,
        snapshots.media_type,
        coalesce((metrics.m ->> 'post_media_view')::bigint, (metrics.m ->> 'post_impressions')::bigint) as media_views,
        coalesce(
            (metrics.m ->> 'post_total_media_view_unique')::bigint, (metrics.m ->> 'post_impressions_unique')::bigint
        ) as media_viewers,
        (metrics.m ->> 'post_clicks')::bigint as clicks,
        (metrics.m ->> 'post_video_views')::bigint as video_views,
        metrics.m -> 'post_reactions_by_type_total' as reactions_by_type,
        snapshots.fetched_at
    from snapshots
    inner join metrics on snapshots.raw_id = metrics.raw_id
)

select * from final
