{#
    This period vs the previous one, per account and per workspace × platform (and 'all'):
    'week' = the 7 days ending on as_of_date vs the 7 days before, 'month' = 30 days vs the 30
    before (seed 000). Views and engagements are Σ of the posts' daily numbers, posts = posts
    published in the period, followers = followers at the end of the period.
    change_pct = pct_change(current, previous): NULL when previous is 0 or unknown.
#}
{{ config(
    indexes=[
        {'columns': ['comparison_key'], 'unique': true},
        {'columns': ['workspace_id', 'platform', 'period']},
    ]
) }}

{%- set measures = ['views', 'engagements', 'posts', 'followers'] %}

with

as_of as (
    -- the max of an indexed column: an index lookup, not a scan
    select {{ as_of_date(ref('fct_post_metrics_daily')) }} as as_of_date
),

post_daily as (
    -- only the compared periods are read: cost follows the window, not the history
    select * from {{ ref('fct_post_metrics_daily') }}
    where metric_date between (select as_of.as_of_date from as_of) - 59 and (select as_of.as_of_date from as_of)
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
        as_of.as_of_date - period_days.days + 1 as current_start_date,
        as_of.as_of_date as current_end_date,
        as_of.as_of_date - 2 * period_days.days + 1 as previous_start_date,
        as_of.as_of_date - period_days.days as previous_end_date
    from (values ('week', 7), ('month', 30)) as period_days (period, days)
    cross join as_of
),

activity as (
    select
        post_daily.account_key,
        periods.period,
        sum(post_daily.views) filter (where post_daily.metric_date >= periods.current_start_date) as current_views,
        sum(post_daily.views) filter (where post_daily.metric_date <= periods.previous_end_date) as previous_views,
        sum(post_daily.engagements) filter (
            where post_daily.metric_date >= periods.current_start_date
        ) as current_engagements,
        sum(post_daily.engagements) filter (
            where post_daily.metric_date <= periods.previous_end_date
        ) as previous_engagements
    from post_daily
    inner join periods
        on post_daily.metric_date between periods.previous_start_date and periods.current_end_date
    group by 1, 2
),

publishing as (
    select
        posts.account_key,
        periods.period,
        count(*) filter (where posts.published_at::date >= periods.current_start_date) as current_posts,
        count(*) filter (where posts.published_at::date <= periods.previous_end_date) as previous_posts
    from posts
    inner join periods
        on posts.published_at::date between periods.previous_start_date and periods.current_end_date
    group by 1, 2
),

account_periods as (
    select
        accounts.workspace_id,
        accounts.account_key,
        accounts.platform,
        periods.*
    from accounts
    cross join periods
),

followers as (
    select
        account_periods.account_key,
        account_periods.period,
        current_end.followers as current_followers,
        previous_end.followers as previous_followers
    from account_periods
    left join lateral (
        select account_daily.followers from account_daily
        where account_daily.account_key = account_periods.account_key
            and account_daily.metric_date <= account_periods.current_end_date
            and account_daily.followers is not null
        order by account_daily.metric_date desc limit 1
    ) as current_end on true
    left join lateral (
        select account_daily.followers from account_daily
        where account_daily.account_key = account_periods.account_key
            and account_daily.metric_date <= account_periods.previous_end_date
            and account_daily.followers is not null
        order by account_daily.metric_date desc limit 1
    ) as previous_end on true
),

per_account as (
    select
        account_periods.*,
        activity.current_views,
        activity.previous_views,
        activity.current_engagements,
        activity.previous_engagements,
        coalesce(publishing.current_posts, 0) as current_posts,
        coalesce(publishing.previous_posts, 0) as previous_posts,
        followers.current_followers,
        followers.previous_followers
    from account_periods
    left join activity
        on account_periods.account_key = activity.account_key
        and account_periods.period = activity.period
    left join publishing
        on account_periods.account_key = publishing.account_key
        and account_periods.period = publishing.period
    left join followers
        on account_periods.account_key = followers.account_key
        and account_periods.period = followers.period
),

rolled_up as (
    select
        case when grouping(per_account.account_key) = 0 then 'account' else 'workspace' end as scope,
        per_account.workspace_id,
        coalesce(per_account.platform, 'all') as platform,
        coalesce(per_account.account_key, 'all') as account_key,
        per_account.period,
        min(per_account.current_start_date) as current_start_date,
        min(per_account.current_end_date) as current_end_date,
        min(per_account.previous_start_date) as previous_start_date,
        min(per_account.previous_end_date) as previous_end_date,
        {% for measure in measures %}
        sum(per_account.current_{{ measure }}) as current_{{ measure }},
        sum(per_account.previous_{{ measure }}) as previous_{{ measure }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from per_account
    group by grouping sets (
        (per_account.workspace_id, per_account.period, per_account.platform, per_account.account_key),
        (per_account.workspace_id, per_account.period, per_account.platform),
        (per_account.workspace_id, per_account.period)
    )
),

final as (
    select
        rolled_up.scope || '|' || rolled_up.workspace_id || '|' || rolled_up.platform || '|' || rolled_up.account_key
        || '|' || rolled_up.period as comparison_key,
        rolled_up.*,
        -- sqlfluff misplaces the indent of a multi-line macro (pct_change) inside a loop:
        -- noqa: disable=LT02
        {% for measure in measures %}
        rolled_up.current_{{ measure }} - rolled_up.previous_{{ measure }} as {{ measure }}_change,
        {{ pct_change('rolled_up.current_' ~ measure, 'rolled_up.previous_' ~ measure) }} as {{ measure }}_change_pct
        {{- ',' if not loop.last }}
        {% endfor %}
    -- noqa: enable=LT02
    from rolled_up
)

select * from final
