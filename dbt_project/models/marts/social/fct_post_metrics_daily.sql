{#
    Cumulative values are NULL while the platform has never reported the metric for the post.
    Incremental (delete+insert on post_key × metric_date): each run re-reads the last
    var('lookback_days') days before the newest metric_date already loaded, so late and revised
    platform numbers replace the old rows. Cumulative values continue from the post's last row
    before that window (one index lookup per post), so the cost follows the new rows, not history.
#}
{{ config(
    post_hook='analyze {{ this }}',
    materialized='incremental',
    incremental_strategy='delete+insert',
    on_schema_change='append_new_columns',
    unique_key=['post_key', 'metric_date'],
    indexes=[
        {'columns': ['post_key', 'metric_date'], 'unique': true},
        {'columns': ['metric_date']},
        {'columns': ['platform', 'account_id', 'metric_date']},
    ]
) }}

{%- set summed = ['views', 'likes', 'comments', 'shares', 'saves', 'clicks', 'reach', 'impressions',
                  'engagements', 'watch_time_minutes', 'completions', 'swipe_aways'] %}

{%- set is_ready = incremental_ready('cumulative_swipe_aways') %}

with

daily as (
    select * from {{ ref('int_social__post_metrics_daily') }}
    {% if is_ready %}
    where metric_date >= (select max(existing.metric_date) - {{ var('lookback_days') }} from {{ this }} as existing)
    {% endif %}
),

posts as (
    select
        post_key,
        account_key,
        platform,
        post_id
    from {{ ref('dim_posts') }}
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

baseline as (
    {% if is_ready %}
    select
        {% for metric in summed %}
        previous.cumulative_{{ metric }} as base_{{ metric }},
        {% endfor %}
        window_posts.post_key
    from (
        select
            post_key,
            min(metric_date) as window_start_date
        from with_engagement
        group by 1
    ) as window_posts
    left join lateral (
        select existing.*
        from {{ this }} as existing
        where existing.post_key = window_posts.post_key
            and existing.metric_date < window_posts.window_start_date
        order by existing.metric_date desc
        limit 1
    ) as previous on true
    {% else %}
    select
        {% for metric in summed %}
        null::numeric as base_{{ metric }},
        {% endfor %}
        null::text as post_key
    where false
    {% endif %}
),

cumulated as (
    select
        with_engagement.*,
        {% for metric in summed %}
        case
            when baseline.base_{{ metric }} is null and sum(with_engagement.{{ metric }}) over by_post is null then null
            else coalesce(baseline.base_{{ metric }}, 0) + coalesce(sum(with_engagement.{{ metric }}) over by_post, 0)
        end as cumulative_{{ metric }},
        {% endfor %}
        true as is_loaded
    from with_engagement
    left join baseline on with_engagement.post_key = baseline.post_key
    window by_post as (partition by with_engagement.post_key order by with_engagement.metric_date)
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
        {{ rate_pct('engagements', 'reach') }} as engagement_rate_by_reach,
        {% for metric in summed %}
        cumulative_{{ metric }},
        {% endfor %}
        case
            when cumulative_views > 0 then round(cumulative_watch_time_minutes * 60 / cumulative_views, 2)
        end as cumulative_avg_view_duration_s,
        has_negative_delta,
        metric_source
    from cumulated
)

select * from final
