{#
    Every account metric of fct_account_metrics_daily in long format (one row per workspace ×
    platform × account × day × metric) for charting any metric over time in a BI tool. NULL values
    (metrics a platform does not report) are left out. Incremental with a lookback of
    var('lookback_days') days (delete+insert on the day).
#}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    on_schema_change='append_new_columns',
    unique_key=['metric_date'],
    indexes=[
        {'columns': ['metric_key'], 'unique': true},
        {'columns': ['workspace_id', 'platform', 'metric_name', 'metric_date']},
        {'columns': ['account_key', 'metric_name', 'metric_date']},
    ]
) }}

{%- set metrics = ['followers', 'following', 'posts_published', 'posts_total', 'profile_views', 'website_clicks',
                   'reach', 'impressions', 'views', 'likes', 'comments', 'shares', 'saves', 'engagements',
                   'engagement_rate', 'engagement_rate_by_reach', 'engagement_rate_by_followers',
                   'watch_time_minutes', 'followers_gained', 'followers_lost', 'followers_net',
                   'followers_growth_rate_1d', 'followers_growth_rate_7d', 'followers_growth_rate_30d'] %}

{%- set is_ready = incremental_ready('metric_key') %}

with

account_daily as (
    select * from {{ ref('fct_account_metrics_daily') }}
    {% if is_ready %}
    where metric_date >= (select max(existing.metric_date) - {{ var('lookback_days') }} from {{ this }} as existing)
    {% endif %}
),

unpivoted as (
    select
        account_daily.workspace_id,
        account_daily.platform,
        account_daily.account_key,
        account_daily.metric_date,
        metric.metric_name,
        metric.metric_value
    from account_daily
    cross join lateral (
        values
        {% for name in metrics %}
        ('{{ name }}', account_daily.{{ name }}::numeric){% if not loop.last %},{% endif %}
        {% endfor %}
    ) as metric (metric_name, metric_value)
),

final as (
    select
        account_key || '|' || metric_date || '|' || metric_name as metric_key,
        workspace_id,
        platform,
        account_key,
        metric_date,
        metric_name,
        metric_value
    from unpivoted
    where metric_value is not null
)

select * from final
