{#
    Post × day: what happened to each post on each tracked day. Daily values come from the
    platform's daily report, or from differences of lifetime snapshots (a difference spanning
    several days is spread over them: is_estimated). A post's lifetime before tracking began is its
    baseline (dim_posts.baseline_*), never a day: cumulative values start from it, so the
    cumulative value of a day is the post's lifetime as of that day. Cumulative values are NULL while
    the platform has never reported the metric for the post.
    Incremental (delete+insert on post_key × metric_date): each run re-reads the rows of the
    snapshots of the last var('lookback_days') days (source_date) — late and revised numbers replace
    old rows, and a snapshot after a gap in the syncs fills every day of the gap. Cumulative values
    continue from the post's last row before the re-read days (one index lookup per post).
#}
{{ config(
    pre_hook='{{ social_build_begin() }}',
    post_hook=['analyze {{ this }}', '{{ social_build_end() }}'],
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
{%- set with_baseline = ['views', 'likes', 'comments', 'shares', 'saves', 'clicks', 'reach', 'impressions'] %}

{%- set is_ready = incremental_ready('source_date') %}

with

daily as (
    select * from {{ ref('int_social__post_metrics_daily') }}
    {% if is_ready %}
    where source_date >= (select max(existing.source_date) - {{ var('lookback_days') }} from {{ this }} as existing)
    {% endif %}
),

posts as (
    select
        post_key,
        account_key,
        platform,
        post_id,
        {% for metric in with_baseline %}
        baseline_{{ metric }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from {{ ref('dim_posts') }}
),

with_engagement as (
    select
        posts.post_key,
        posts.account_key,
        daily.*,
        {{ engagements('daily.likes', 'daily.comments', 'daily.shares') }} as engagements,
        {{ engagements('posts.baseline_likes', 'posts.baseline_comments', 'posts.baseline_shares') }}
            as baseline_engagements,
        {% for metric in with_baseline %}
        posts.baseline_{{ metric }},
        {% endfor %}
        {{ rate_base('daily.platform', 'daily.views', 'daily.impressions') }} as rate_base
    from daily
    inner join posts
        on daily.platform = posts.platform
        and daily.post_id = posts.post_id
),

carried as (
    -- the post's cumulative values on its last row before the re-read days
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
        {%- set before_tracking = 'with_engagement.baseline_' ~ metric
            if metric in with_baseline or metric == 'engagements' else 'null::numeric' %}
        case
            when carried.base_{{ metric }} is null and sum(with_engagement.{{ metric }}) over by_post is null then null
            when carried.base_{{ metric }} is not null
                then carried.base_{{ metric }} + coalesce(sum(with_engagement.{{ metric }}) over by_post, 0)
            else coalesce({{ before_tracking }}, 0) + coalesce(sum(with_engagement.{{ metric }}) over by_post, 0)
        end as cumulative_{{ metric }},
        {% endfor %}
        true as is_loaded
    from with_engagement
    left join carried on with_engagement.post_key = carried.post_key
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
        rate_base,
        {{ rate_pct('engagements', 'rate_base') }} as engagement_rate,
        {{ rate_pct('engagements', 'reach') }} as engagement_rate_by_reach,
        {% for metric in summed %}
        cumulative_{{ metric }},
        {% endfor %}
        case
            when cumulative_views > 0 then round(cumulative_watch_time_minutes * 60 / cumulative_views, 2)
        end as cumulative_avg_view_duration_s,
        has_negative_delta,
        is_estimated,
        metric_source,
        source_date
    from cumulated
)

select * from final
