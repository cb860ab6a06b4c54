{{ config(
    indexes=[
        {'columns': ['post_key', 'metric_date'], 'unique': true},
        {'columns': ['metric_date']},
        {'columns': ['platform', 'account_id', 'metric_date']},
    ]
) }}

with

daily as (
    select * from {{ ref('int_social__post_metrics_daily') }}
),

posts as (
    select post_key, account_key, platform, post_id from {{ ref('dim_posts') }}
),

with_engagement as (
    select
        posts.post_key,
        posts.account_key,
        daily.*,
        {{ engagements('daily.likes', 'daily.comments', 'daily.shares', 'daily.saves') }} as engagements
    from daily
    inner join posts
        on daily.platform = posts.platform
        and daily.post_id = posts.post_id
),

final as (
    select
        post_key,
        account_key,
        platform,
        account_id,
        post_id,
        metric_date,
        views,
        likes,
        comments,
        shares,
        saves,
        clicks,
        reach,
        impressions,
        engagements,
        watch_time_minutes,
        avg_view_duration_s,
        engaged_views,
        completions,
        swipe_aways,
        {{ rate_pct('engagements', 'coalesce(views, impressions)') }} as engagement_rate,
        sum(views) over cumulative as cumulative_views,
        sum(likes) over cumulative as cumulative_likes,
        sum(comments) over cumulative as cumulative_comments,
        sum(shares) over cumulative as cumulative_shares,
        sum(engagements) over cumulative as cumulative_engagements,
        sum(watch_time_minutes) over cumulative as cumulative_watch_time_minutes,
        metric_source
    from with_engagement
    window cumulative as (partition by post_key order by metric_date)
)

select * from final
