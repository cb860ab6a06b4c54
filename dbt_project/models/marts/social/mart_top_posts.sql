{#
    Top posts by engagement rate per workspace × platform (and 'all') × window (posts published in
    the last 7 / 30 / 90 days up to the account's last sync, data_as_of: lifetime values as of then).
    Only posts with at least var('top_posts_min_views') rate base (views, or the platform's
    impressions) rank, so a post with one view and one like cannot win.
    Ties: more engagements first, then the newer post.
#}
{{ config(
    indexes=[
        {'columns': ['top_post_key'], 'unique': true},
        {'columns': ['workspace_id', 'platform', 'window_days']},
    ]
) }}

with

performance as (
    select * from {{ ref('mart_content_performance') }}
),

windows as (
    select window_days from (values (7), (30), (90)) as windows (window_days)
),

eligible as (
    select
        performance.*,
        windows.window_days
    from performance
    cross join windows
    where performance.published_at::date > performance.data_as_of - windows.window_days
        and performance.published_at::date <= performance.data_as_of
        and performance.rate_base >= {{ var('top_posts_min_views') }}
        and performance.engagement_rate is not null
),

scoped as (
    select
        eligible.*,
        eligible.platform as platform_scope
    from eligible
    union all
    select
        eligible.*,
        'all' as platform_scope
    from eligible
),

ranked as (
    select
        scoped.*,
        row_number() over (
            partition by scoped.workspace_id, scoped.platform_scope, scoped.window_days
            order by scoped.engagement_rate desc, scoped.engagements desc, scoped.published_at desc, scoped.post_key
        ) as rank
    from scoped
),

final as (
    select
        workspace_id || '|' || platform_scope || '|' || window_days || '|' || rank as top_post_key,
        workspace_id,
        platform_scope as platform,
        window_days,
        rank,
        post_key,
        account_key,
        platform as post_platform,
        format,
        published_at,
        data_as_of as as_of_date,
        views,
        impressions,
        likes,
        comments,
        shares,
        saves,
        engagements,
        engagement_rate,
        viral_potential,
        performance_score
    from ranked
    where rank <= {{ var('top_posts_limit') }}
)

select * from final
