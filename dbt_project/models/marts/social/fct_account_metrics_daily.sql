{#
    Account × day: the activity on the account that day (from the platform's own account-level daily
    report where it has one, else the sum of the posts' daily values: activity_source), followers,
    and whether the day is complete (is_complete: on or before the account's complete_through, see
    mart_data_coverage). Incremental (delete+insert of whole days, metric_date) with a lookback of
    var('lookback_days') days; follower growth looks back 30 more days, read from the source.
#}
{{ config(
    pre_hook='{{ social_build_begin() }}',
    post_hook=['analyze {{ this }}', '{{ social_build_end() }}'],
    materialized='incremental',
    incremental_strategy='delete+insert',
    on_schema_change='append_new_columns',
    unique_key=['metric_date'],
    indexes=[
        {'columns': ['account_key', 'metric_date'], 'unique': true},
        {'columns': ['metric_date']},
        {'columns': ['workspace_id', 'platform', 'metric_date']},
    ]
) }}

{%- set is_ready = incremental_ready('is_complete') %}

with

window_start as (
    {% if is_ready %}
    select max(metric_date) - {{ var('lookback_days') }} as start_date from {{ this }}
    {% else %}
    select '-infinity'::date as start_date
    {% endif %}
),

daily_with_history as (
    select * from {{ ref('int_social__account_metrics_daily') }}
    where metric_date >= (select window_start.start_date - 30 from window_start)
),

accounts as (
    select
        account_key,
        workspace_id,
        platform,
        account_id
    from {{ ref('dim_accounts') }}
),

posts as (
    select
        account_key,
        published_at::date as published_date
    from {{ ref('dim_posts') }}
),

coverage as (
    select
        platform,
        account_id,
        complete_through
    from {{ ref('int_social__account_coverage') }}
),

daily as (
    select
        accounts.account_key,
        accounts.workspace_id,
        daily_with_history.*
    from daily_with_history
    inner join accounts
        on daily_with_history.platform = accounts.platform
        and daily_with_history.account_id = accounts.account_id
),

in_window as (
    select * from daily
    where metric_date >= (select window_start.start_date from window_start)
),

window_bounds as (
    select
        account_key,
        min(metric_date) as first_date
    from in_window
    group by 1
),

posts_before_window as (
    select
        window_bounds.account_key,
        count(posts.account_key) as posts_before
    from window_bounds
    left join posts
        on window_bounds.account_key = posts.account_key
        and window_bounds.first_date > posts.published_date
    group by 1
),

published_per_day as (
    select
        posts.account_key,
        posts.published_date as metric_date,
        count(*) as posts_published
    from posts
    inner join window_bounds
        on posts.account_key = window_bounds.account_key
        and posts.published_date >= window_bounds.first_date
    group by 1, 2
),

post_counts as (
    select
        coalesce(in_window.account_key, published_per_day.account_key) as account_key,
        coalesce(in_window.metric_date, published_per_day.metric_date) as metric_date,
        coalesce(published_per_day.posts_published, 0) as posts_published,
        posts_before_window.posts_before + sum(coalesce(published_per_day.posts_published, 0)) over (
            partition by coalesce(in_window.account_key, published_per_day.account_key)
            order by coalesce(in_window.metric_date, published_per_day.metric_date)
        ) as posts_total
    from in_window
    full outer join published_per_day
        on in_window.account_key = published_per_day.account_key
        and in_window.metric_date = published_per_day.metric_date
    inner join posts_before_window
        on coalesce(in_window.account_key, published_per_day.account_key) = posts_before_window.account_key
),

final as (
    select
        in_window.account_key,
        in_window.workspace_id,
        in_window.platform,
        in_window.account_id,
        in_window.metric_date,
        in_window.followers,
        in_window.following,
        post_counts.posts_published,
        post_counts.posts_total,
        in_window.profile_views,
        in_window.website_clicks,
        in_window.reach,
        in_window.impressions,
        in_window.views,
        in_window.likes,
        in_window.comments,
        in_window.shares,
        in_window.saves,
        {%- set account_engagements = 'coalesce(' ~ engagements('in_window.likes', 'in_window.comments',
            'in_window.shares') ~ ', in_window.reported_engagements)' %}
        {%- set account_rate_base = rate_base('in_window.platform', 'in_window.views', 'in_window.impressions') %}
        {{ account_engagements }} as engagements,
        in_window.reported_engagements,
        {{ account_rate_base }} as rate_base,
        {{ rate_pct(account_engagements, account_rate_base) }} as engagement_rate,
        {{ rate_pct(account_engagements, 'in_window.reach') }} as engagement_rate_by_reach,
        {{ rate_pct(account_engagements, 'in_window.followers') }} as engagement_rate_by_followers,
        in_window.watch_time_minutes,
        in_window.followers_gained,
        in_window.followers_lost,
        case
            when in_window.followers_gained is null and in_window.followers_lost is null then null
            else coalesce(in_window.followers_gained, 0) - coalesce(in_window.followers_lost, 0)
        end as followers_net,
        {{ pct_change('in_window.followers', 'day_1.followers') }} as followers_growth_rate_1d,
        {{ pct_change('in_window.followers', 'day_7.followers') }} as followers_growth_rate_7d,
        {{ pct_change('in_window.followers', 'day_30.followers') }} as followers_growth_rate_30d,
        in_window.followers_source,
        in_window.activity_source,
        in_window.is_estimated,
        coalesce(in_window.metric_date <= coverage.complete_through and in_window.activity_source is not null, false)
            as is_complete
    from in_window
    left join post_counts
        on in_window.account_key = post_counts.account_key
        and in_window.metric_date = post_counts.metric_date
    left join coverage
        on in_window.platform = coverage.platform
        and in_window.account_id = coverage.account_id
    left join daily as day_1
        on in_window.account_key = day_1.account_key
        and day_1.metric_date = in_window.metric_date - 1
    left join daily as day_7
        on in_window.account_key = day_7.account_key
        and day_7.metric_date = in_window.metric_date - 7
    left join daily as day_30
        on in_window.account_key = day_30.account_key
        and day_30.metric_date = in_window.metric_date - 30
)

select * from final
