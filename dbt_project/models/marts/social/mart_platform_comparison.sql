{#
    Platforms side by side per workspace × platform × period ('week' = 7 days, 'month' = 30 days,
    'quarter' = 90 days ending on as_of_date). Views, reach, impressions and engagements are Σ of
    the posts' daily numbers in the period (reach summed over days is not de-duplicated);
    engagement_rate = Σ engagements ÷ Σ views (impressions where no views) × 100; followers at the
    end of the period and their growth over it; best_format = the format with the highest
    engagement rate in the period (ties: more views).
#}
{{ config(
    indexes=[
        {'columns': ['platform_comparison_key'], 'unique': true},
        {'columns': ['workspace_id', 'period']},
    ]
) }}

with

as_of as (
    -- the max of an indexed column: an index lookup, not a scan
    select {{ as_of_date(ref('fct_post_metrics_daily')) }} as as_of_date
),

post_daily as (
    -- only the compared periods are read: cost follows the window, not the history
    select * from {{ ref('fct_post_metrics_daily') }}
    where metric_date between (select as_of.as_of_date from as_of) - 89 and (select as_of.as_of_date from as_of)
),

account_daily as not materialized (
    -- inlined into each lateral lookup below, so they use the (account_key, metric_date) index
    select * from {{ ref('fct_account_metrics_daily') }}
),

accounts as (
    select * from {{ ref('dim_accounts') }}
),

posts as (
    select * from {{ ref('dim_posts') }}
),

periods as (
    select
        period_days.period,
        period_days.days,
        as_of.as_of_date - period_days.days + 1 as start_date,
        as_of.as_of_date as end_date
    from (values ('week', 7), ('month', 30), ('quarter', 90)) as period_days (period, days)
    cross join as_of
),

activity as (
    select
        posts.workspace_id,
        posts.platform,
        posts.format,
        periods.period,
        sum(post_daily.views) as views,
        sum(post_daily.reach) as reach,
        sum(post_daily.impressions) as impressions,
        sum(post_daily.engagements) as engagements,
        sum(coalesce(post_daily.views, post_daily.impressions)) as rate_base
    from post_daily
    inner join posts on post_daily.post_key = posts.post_key
    inner join periods on post_daily.metric_date between periods.start_date and periods.end_date
    group by 1, 2, 3, 4
),

best_formats as (
    select distinct on (workspace_id, platform, period)
        workspace_id,
        platform,
        period,
        format as best_format
    from activity
    where {{ rate_pct('engagements', 'rate_base') }} is not null
    order by
        workspace_id, platform, period, {{ rate_pct('engagements', 'rate_base') }} desc, views desc nulls last, format
),

platform_activity as (
    select
        workspace_id,
        platform,
        period,
        sum(views) as views,
        sum(reach) as reach,
        sum(impressions) as impressions,
        sum(engagements) as engagements,
        sum(rate_base) as rate_base
    from activity
    group by 1, 2, 3
),

publishing as (
    select
        posts.workspace_id,
        posts.platform,
        periods.period,
        count(*) as posts
    from posts
    inner join periods on posts.published_at::date between periods.start_date and periods.end_date
    group by 1, 2, 3
),

account_followers as (
    select
        accounts.workspace_id,
        accounts.platform,
        periods.period,
        period_end.followers as end_followers,
        period_start.followers as start_followers
    from accounts
    cross join periods
    left join lateral (
        select account_daily.followers from account_daily
        where account_daily.account_key = accounts.account_key
            and account_daily.metric_date <= periods.end_date
            and account_daily.followers is not null
        order by account_daily.metric_date desc limit 1
    ) as period_end on true
    left join lateral (
        select account_daily.followers from account_daily
        where account_daily.account_key = accounts.account_key
            and account_daily.metric_date < periods.start_date
            and account_daily.followers is not null
        order by account_daily.metric_date desc limit 1
    ) as period_start on true
),

followers as (
    select
        workspace_id,
        platform,
        period,
        sum(end_followers) as followers,
        sum(start_followers) as start_followers
    from account_followers
    group by 1, 2, 3
),

final as (
    select
        followers.workspace_id || '|' || followers.platform || '|' || followers.period as platform_comparison_key,
        followers.workspace_id,
        followers.platform,
        followers.period,
        periods.start_date,
        periods.end_date,
        followers.followers,
        followers.followers - followers.start_followers as followers_growth,
        {{ pct_change('followers.followers', 'followers.start_followers') }} as followers_growth_pct,
        coalesce(publishing.posts, 0) as posts,
        platform_activity.views,
        platform_activity.reach,
        platform_activity.impressions,
        platform_activity.engagements,
        {{ rate_pct('platform_activity.engagements', 'platform_activity.rate_base') }} as engagement_rate,
        best_formats.best_format
    from followers
    inner join periods on followers.period = periods.period
    left join platform_activity
        on followers.workspace_id = platform_activity.workspace_id
        and followers.platform = platform_activity.platform
        and followers.period = platform_activity.period
    left join publishing
        on followers.workspace_id = publishing.workspace_id
        and followers.platform = publishing.platform
        and followers.period = publishing.period
    left join best_formats
        on followers.workspace_id = best_formats.workspace_id
        and followers.platform = best_formats.platform
        and followers.period = best_formats.period
)

select * from final
