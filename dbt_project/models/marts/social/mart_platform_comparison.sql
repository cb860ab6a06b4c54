{#
    Platforms side by side on equal terms, per workspace × platform × period ('week' = 7 days,
    'month' = 30, 'quarter' = 90). Every platform of a workspace covers the same days: the periods
    end on the workspace's last complete day (the earliest complete_through of its accounts with
    known activity; var('as_of_date') caps it).
      - activity in the period (fct_account_metrics_daily): views, reach, impressions, engagements;
        engagement_rate = Σ engagements ÷ Σ rate base × 100 (the platform's base, docs/metrics.md);
        engagements_per_1000_followers; activity_days_known of the period's days (an account-day
        counts when its activity is known; fewer than accounts × days means partial, see note);
      - content published in the period (mart_content_performance, lifetime): posts,
        engagements_per_post and best_format (highest lifetime engagement rate, at least two posts);
      - followers at the end of the period and their growth over it, for accounts whose followers
        are known at both ends (a newly connected account is not growth).
#}
{{ config(
    indexes=[
        {'columns': ['platform_comparison_key'], 'unique': true},
        {'columns': ['workspace_id', 'period']},
    ]
) }}

with

accounts as (
    select * from {{ ref('dim_accounts') }}
),

coverage as (
    select * from {{ ref('mart_data_coverage') }}
),

content as (
    select * from {{ ref('mart_content_performance') }}
),

account_daily as (
    select * from {{ ref('fct_account_metrics_daily') }}
),

workspace_ends as (
    select
        workspace_id,
        {% if var('as_of_date', none) -%}
        least(min(complete_through), '{{ var("as_of_date") }}'::date)
        {%- else -%}
        min(complete_through)
        {%- endif %} as end_date
    from coverage
    group by 1
),

periods as (
    select
        workspace_ends.workspace_id,
        period_days.period,
        period_days.days,
        workspace_ends.end_date - period_days.days + 1 as start_date,
        workspace_ends.end_date
    from workspace_ends
    cross join (values ('week', 7), ('month', 30), ('quarter', 90)) as period_days (period, days)
    where workspace_ends.end_date is not null
),

account_periods as (
    select
        accounts.account_key,
        accounts.workspace_id,
        accounts.platform,
        periods.period,
        periods.days,
        periods.start_date,
        periods.end_date
    from accounts
    inner join periods on accounts.workspace_id = periods.workspace_id
),

activity as (
    select
        account_periods.workspace_id,
        account_periods.platform,
        account_periods.period,
        count(distinct account_periods.account_key) as accounts,
        max(account_periods.days) as days,
        count(account_daily.activity_source) as activity_days_known,
        sum(account_daily.views) as views,
        sum(account_daily.reach) as reach,
        sum(account_daily.impressions) as impressions,
        sum(account_daily.engagements) as engagements,
        sum(account_daily.rate_base) as rate_base,
        bool_or(account_daily.activity_source = 'post_sum') as uses_post_sums
    from account_periods
    left join account_daily
        on account_periods.account_key = account_daily.account_key
        and account_daily.metric_date between account_periods.start_date and account_periods.end_date
    group by 1, 2, 3
),

followers as (
    select
        account_periods.workspace_id,
        account_periods.platform,
        account_periods.period,
        sum(period_end.followers) filter (where period_start.followers is not null) as followers,
        sum(period_start.followers) filter (where period_end.followers is not null) as start_followers,
        count(*) filter (where period_end.followers is null or period_start.followers is null)
            as accounts_without_followers
    from account_periods
    left join account_daily as period_end
        on account_periods.account_key = period_end.account_key
        and account_periods.end_date = period_end.metric_date
    left join account_daily as period_start
        on account_periods.account_key = period_start.account_key
        and account_periods.start_date - 1 = period_start.metric_date
    group by 1, 2, 3
),

published as (
    select
        periods.workspace_id,
        content.platform,
        periods.period,
        content.format,
        count(*) as posts,
        sum(content.engagements) as engagements,
        sum(content.rate_base) as rate_base
    from content
    inner join periods
        on content.workspace_id = periods.workspace_id
        and content.published_at::date between periods.start_date and periods.end_date
    group by 1, 2, 3, 4
),

best_formats as (
    select distinct on (workspace_id, platform, period)
        workspace_id,
        platform,
        period,
        format as best_format
    from published
    where posts >= 2 and {{ rate_pct('engagements', 'rate_base') }} is not null
    order by workspace_id, platform, period, {{ rate_pct('engagements', 'rate_base') }} desc, posts desc, format
),

publishing as (
    select
        workspace_id,
        platform,
        period,
        sum(posts) as posts,
        sum(engagements) as engagements
    from published
    group by 1, 2, 3
),

final as (
    select
        activity.workspace_id || '|' || activity.platform || '|' || activity.period as platform_comparison_key,
        activity.workspace_id,
        activity.platform,
        activity.period,
        periods.start_date,
        periods.end_date,
        activity.accounts,
        activity.activity_days_known,
        activity.accounts * activity.days as activity_days_expected,
        followers.followers,
        followers.followers - followers.start_followers as followers_growth,
        {{ pct_change('followers.followers', 'followers.start_followers') }} as followers_growth_pct,
        coalesce(publishing.posts, 0) as posts,
        activity.views,
        activity.reach,
        activity.impressions,
        activity.engagements,
        {{ rate_pct('activity.engagements', 'activity.rate_base') }} as engagement_rate,
        round(activity.engagements * 1000.0 / nullif(followers.followers, 0), 4) as engagements_per_1000_followers,
        round(publishing.engagements::numeric / nullif(publishing.posts, 0), 2) as engagements_per_post,
        best_formats.best_format,
        nullif(
            concat_ws(
                '; ',
                case
                    when activity.activity_days_known = 0 then 'activity unknown in the period'
                    when activity.activity_days_known < activity.accounts * activity.days
                        then 'partial: activity known on ' || activity.activity_days_known || ' of '
                            || activity.accounts * activity.days || ' account-days'
                end,
                case when activity.uses_post_sums then 'activity partly from post sums (no account-level report)' end,
                case
                    when followers.accounts_without_followers > 0
                        then followers.accounts_without_followers || ' account(s) without followers at both ends'
                end
            ),
            ''
        ) as note
    from activity
    inner join periods
        on activity.workspace_id = periods.workspace_id
        and activity.period = periods.period
    left join followers
        on activity.workspace_id = followers.workspace_id
        and activity.platform = followers.platform
        and activity.period = followers.period
    left join publishing
        on activity.workspace_id = publishing.workspace_id
        and activity.platform = publishing.platform
        and activity.period = publishing.period
    left join best_formats
        on activity.workspace_id = best_formats.workspace_id
        and activity.platform = best_formats.platform
        and activity.period = best_formats.period
)

select * from final
