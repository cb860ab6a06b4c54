{#
    Seed 000's per-video totals: one content item (a video posted on several platforms, linked by
    the content_item_links mapping or the automatic title match, see int_social__content_items)
    → total views, total engagement (likes + comments + shares, as the seed defines it), and the
    average engagement rate of its posts whose rate is > 0.
#}
{{ config(
    indexes=[
        {'columns': ['content_item_id'], 'unique': true},
        {'columns': ['workspace_id']},
    ]
) }}

with

performance as (
    select * from {{ ref('mart_content_performance') }}
),

posts as (
    select
        post_key,
        title,
        cross_post_link_method
    from {{ ref('dim_posts') }}
),

final as (
    select
        performance.cross_post_group as content_item_id,
        min(performance.workspace_id) as workspace_id,
        min(posts.cross_post_link_method) as link_method,
        (array_agg(posts.title order by performance.published_at, performance.post_key))[1] as title,
        min(performance.published_at) as first_published_at,
        count(*) as posts_count,
        count(distinct performance.platform) as platforms_count,
        string_agg(distinct performance.platform, ',' order by performance.platform) as platforms,
        coalesce(sum(performance.views), 0) as total_views,
        coalesce(sum(performance.likes), 0) + coalesce(sum(performance.comments), 0)
        + coalesce(sum(performance.shares), 0) as total_engagement,
        coalesce(sum(performance.saves), 0) as total_saves,
        round(
            avg(performance.engagement_rate) filter (where performance.engagement_rate > 0), 4
        ) as average_engagement_rate
    from performance
    inner join posts on performance.post_key = posts.post_key
    group by 1
)

select * from final
