-- Every stored snapshot of a post's lifetime insights, one column per metric. Retired source names
-- kept in raw (post_impressions*) feed their successors' columns.
with

source as (
    select * from {{ source('facebook', 'facebook_post_insights') }}
    where {{ not_quarantined('facebook_post_insights') }}
),

metrics as (
    {{ graph_lifetime_values('source') }}
),

final as (
    select
        source.raw_id,
        source.account_id,
        source.payload ->> 'post_id' as post_id,
        source.payload ->> 'media_type' as media_type,
        coalesce((metrics.m ->> 'post_media_view')::bigint, (metrics.m ->> 'post_impressions')::bigint) as media_views,
        coalesce(
            (metrics.m ->> 'post_total_media_view_unique')::bigint, (metrics.m ->> 'post_impressions_unique')::bigint
        ) as media_viewers,
        (metrics.m ->> 'post_clicks')::bigint as clicks,
        (metrics.m ->> 'post_video_views')::bigint as video_views,
        metrics.m -> 'post_reactions_by_type_total' as reactions_by_type,
        source.fetched_at
    from source
    inner join metrics on source.raw_id = metrics.raw_id
)

select * from final
