{#
    Seed 003's dashboard stats per workspace × platform × content type (format) × day (UTC):
    posts published that day and the day's metrics of all tracked posts (post-level daily values:
    a post published before tracking began counts only what it gained since). average engagement
    rate = Σ engagements ÷ Σ rate base × 100, each platform's rate base (docs/metrics.md).
    Incremental (delete+insert on the day) with a lookback of var('lookback_days').
#}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    on_schema_change='append_new_columns',
    unique_key=['metric_date'],
    indexes=[
        {'columns': ['dashboard_key'], 'unique': true},
        {'columns': ['workspace_id', 'platform', 'metric_date']},
        {'columns': ['metric_date']},
    ]
) }}

{%- set is_ready = incremental_ready('dashboard_key') %}

with

post_daily as (
    select * from {{ ref('fct_post_metrics_daily') }}
    {% if is_ready %}
    where metric_date >= (select max(existing.metric_date) - {{ var('lookback_days') }} from {{ this }} as existing)
    {% endif %}
),

posts as (
    select * from {{ ref('dim_posts') }}
    {% if is_ready %}
    where
        published_at::date
        >= (select max(existing.metric_date) - {{ var('lookback_days') }} from {{ this }} as existing)
    {% endif %}
),

all_posts as (
    select
        post_key,
        workspace_id,
        format
    from {{ ref('dim_posts') }}
),

metrics as (
    select
        all_posts.workspace_id,
        post_daily.platform,
        all_posts.format,
        post_daily.metric_date,
        sum(post_daily.impressions) as impressions,
        sum(post_daily.views) as views,
        sum(post_daily.engagements) as engagements,
        sum(post_daily.likes) as likes,
        sum(post_daily.comments) as comments,
        sum(post_daily.shares) as shares,
        sum(post_daily.saves) as saves,
        sum(post_daily.rate_base) as rate_base
    from post_daily
    inner join all_posts on post_daily.post_key = all_posts.post_key
    group by 1, 2, 3, 4
),

published as (
    select
        workspace_id,
        platform,
        format,
        published_at::date as metric_date,
        count(*) as posts
    from posts
    group by 1, 2, 3, 4
),

final as (
    select
        coalesce(metrics.workspace_id, published.workspace_id)
        || '|' || coalesce(metrics.platform, published.platform)
        || '|' || coalesce(metrics.format, published.format)
        || '|' || coalesce(metrics.metric_date, published.metric_date) as dashboard_key,
        coalesce(metrics.workspace_id, published.workspace_id) as workspace_id,
        coalesce(metrics.platform, published.platform) as platform,
        coalesce(metrics.format, published.format) as content_type,
        coalesce(metrics.metric_date, published.metric_date) as metric_date,
        coalesce(published.posts, 0) as posts,
        metrics.impressions,
        metrics.views,
        metrics.engagements,
        metrics.likes,
        metrics.comments,
        metrics.shares,
        metrics.saves,
        {{ rate_pct('metrics.engagements', 'metrics.rate_base') }} as avg_engagement_rate
    from metrics
    full outer join published
        on metrics.workspace_id = published.workspace_id
        and metrics.platform = published.platform
        and metrics.format = published.format
        and metrics.metric_date = published.metric_date
)

select * from final
