{#
    Account × calendar month (UTC): the month's totals of fct_account_metrics_daily, kept indefinitely
    (docs/retention.md): daily facts are kept at least retention.facts_days, this rollup for ever.
    Incremental (delete+insert on account_key × month) and never rebuilt from scratch, not even by
    --full-refresh (full_refresh=false): a month keeps its totals if older daily facts ever go. Each run
    rebuilds the months from the one the facts' lookback reaches (or the last month built, whichever
    is earlier) onward.
#}
{{ config(
    post_hook='analyze {{ this }}',
    materialized='incremental',
    incremental_strategy='delete+insert',
    full_refresh=false,
    on_schema_change='append_new_columns',
    unique_key=['account_key', 'month'],
    indexes=[
        {'columns': ['account_key', 'month'], 'unique': true},
        {'columns': ['month']},
    ]
) }}

with

window_start as (
    {% if is_incremental() %}
    select
        least(
            date_trunc('month', max(facts.metric_date) - {{ var('lookback_days') }})::date,
            (select max(existing.month) from {{ this }} as existing)
        ) as start_date
    from {{ ref('fct_account_metrics_daily') }} as facts
    {% else %}
    select '-infinity'::date as start_date
    {% endif %}
),

daily as (
    select * from {{ ref('fct_account_metrics_daily') }}
    where metric_date >= (select window_start.start_date from window_start)
),

monthly as (
    select
        account_key,
        workspace_id,
        platform,
        account_id,
        date_trunc('month', metric_date)::date as month,
        count(*) as days,
        count(*) filter (where is_complete) as complete_days,
        (array_agg(followers order by metric_date desc) filter (where followers is not null))[1] as followers_end,
        sum(followers_net) as followers_net,
        sum(posts_published) as posts_published,
        sum(views) as views,
        sum(impressions) as impressions,
        sum(likes) as likes,
        sum(comments) as comments,
        sum(shares) as shares,
        sum(saves) as saves,
        sum(engagements) as engagements,
        sum(rate_base) as rate_base,
        sum(watch_time_minutes) as watch_time_minutes
    from daily
    group by 1, 2, 3, 4, 5
),

final as (
    select
        account_key,
        workspace_id,
        platform,
        account_id,
        month,
        days,
        complete_days,
        complete_days = extract(day from (month + interval '1 month - 1 day'))::int as is_complete,
        followers_end,
        followers_net,
        posts_published,
        views,
        impressions,
        likes,
        comments,
        shares,
        saves,
        engagements,
        rate_base,
        {{ rate_pct('engagements', 'rate_base') }} as engagement_rate,
        watch_time_minutes
    from monthly
)

select * from final
