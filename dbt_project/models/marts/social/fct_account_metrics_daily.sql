{{ config(
    indexes=[
        {'columns': ['account_key', 'metric_date'], 'unique': true},
        {'columns': ['metric_date']},
    ]
) }}

with

daily as (
    select * from {{ ref('int_social__account_metrics_daily') }}
),

accounts as (
    select account_key, platform, account_id from {{ ref('dim_accounts') }}
),

final as (
    select
        accounts.account_key,
        daily.platform,
        daily.account_id,
        daily.metric_date,
        daily.followers,
        daily.following,
        daily.profile_views,
        daily.website_clicks,
        daily.reach,
        daily.impressions,
        daily.views,
        daily.likes,
        daily.comments,
        daily.shares,
        daily.saves,
        {{ engagements('daily.likes', 'daily.comments', 'daily.shares', 'daily.saves') }} as engagements,
        {{ rate_pct(engagements('daily.likes', 'daily.comments', 'daily.shares', 'daily.saves'), 'coalesce(daily.views, daily.impressions)') }} as engagement_rate,
        daily.watch_time_minutes,
        daily.followers_gained,
        daily.followers_lost,
        coalesce(daily.followers_gained, 0) - coalesce(daily.followers_lost, 0) as followers_net
    from daily
    inner join accounts
        on daily.platform = accounts.platform
        and daily.account_id = accounts.account_id
)

select * from final
