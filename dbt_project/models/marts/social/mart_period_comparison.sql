{#
    This period vs the previous one, per account and per workspace × platform (and 'all'):
    'week' = 7 days vs the 7 before, 'month' = 30 vs the 30 before (seed 000), both windows ending
    on the scope's last complete day (the earliest complete_through of its accounts: every account
    is compared over the same complete days; var('as_of_date') caps it).
    Views and engagements are the accounts' activity (fct_account_metrics_daily: account-level daily
    reports, else post sums), posts = posts published in the period, followers = followers at the
    end of each period. Like for like: an account whose activity (or followers) is not known over
    both windows — a new account, history that starts inside them — is left out of that measure in
    both periods and named in `note`, and `is_comparable` is false (not every account is in): a
    partial period is never compared with a complete one, and a newly connected account is not
    growth.
#}
{{ config(
    indexes=[
        {'columns': ['comparison_key'], 'unique': true},
        {'columns': ['workspace_id', 'platform', 'period']},
    ]
) }}

{%- set measures = ['views', 'engagements', 'posts', 'followers'] %}

with

accounts as (
    select * from {{ ref('dim_accounts') }}
),

coverage as (
    select * from {{ ref('mart_data_coverage') }}
),

posts as (
    select * from {{ ref('dim_posts') }}
),

account_daily as (
    select * from {{ ref('fct_account_metrics_daily') }}
),

scopes as (
    -- every account is in three scopes: itself, its platform, the workspace
    select
        'account' as scope,
        accounts.workspace_id,
        accounts.platform,
        accounts.account_key as scope_account_key,
        accounts.account_key
    from accounts
    union all
    select
        'workspace' as scope,
        accounts.workspace_id,
        accounts.platform,
        'all' as scope_account_key,
        accounts.account_key
    from accounts
    union all
    select
        'workspace' as scope,
        accounts.workspace_id,
        'all' as platform,
        'all' as scope_account_key,
        accounts.account_key
    from accounts
),

scope_ends as (
    select
        scopes.scope,
        scopes.workspace_id,
        scopes.platform,
        scopes.scope_account_key,
        {% if var('as_of_date', none) -%}
        least(min(coverage.complete_through), '{{ var("as_of_date") }}'::date)
        {%- else -%}
        min(coverage.complete_through)
        {%- endif %} as end_date
    from scopes
    inner join coverage on scopes.account_key = coverage.account_key
    group by 1, 2, 3, 4
),

windows as (
    select
        scope_ends.*,
        period_days.period,
        scope_ends.end_date - period_days.days + 1 as current_start_date,
        scope_ends.end_date as current_end_date,
        scope_ends.end_date - 2 * period_days.days + 1 as previous_start_date,
        scope_ends.end_date - period_days.days as previous_end_date
    from scope_ends
    cross join (values ('week', 7), ('month', 30)) as period_days (period, days)
    where scope_ends.end_date is not null
),

scope_accounts as (
    select
        windows.*,
        scopes.account_key
    from windows
    inner join scopes
        on windows.scope = scopes.scope
        and windows.workspace_id = scopes.workspace_id
        and windows.platform = scopes.platform
        and windows.scope_account_key = scopes.scope_account_key
),

activity as (
    -- per account and window: the days with known activity, and their sums
    select
        scope_accounts.scope,
        scope_accounts.workspace_id,
        scope_accounts.platform,
        scope_accounts.scope_account_key,
        scope_accounts.period,
        scope_accounts.account_key,
        count(*) filter (
            where account_daily.is_complete and account_daily.metric_date >= scope_accounts.current_start_date
        ) as current_days,
        count(*) filter (
            where account_daily.is_complete and account_daily.metric_date <= scope_accounts.previous_end_date
        ) as previous_days,
        sum(account_daily.views) filter (
            where account_daily.metric_date >= scope_accounts.current_start_date
        ) as current_views,
        sum(account_daily.views) filter (
            where account_daily.metric_date <= scope_accounts.previous_end_date
        ) as previous_views,
        sum(account_daily.engagements) filter (
            where account_daily.metric_date >= scope_accounts.current_start_date
        ) as current_engagements,
        sum(account_daily.engagements) filter (
            where account_daily.metric_date <= scope_accounts.previous_end_date
        ) as previous_engagements,
        max(account_daily.followers) filter (
            where account_daily.metric_date = scope_accounts.current_end_date
        ) as current_followers,
        max(account_daily.followers) filter (
            where account_daily.metric_date = scope_accounts.previous_end_date
        ) as previous_followers,
        max(scope_accounts.current_end_date - scope_accounts.current_start_date + 1) as period_days
    from scope_accounts
    left join account_daily
        on scope_accounts.account_key = account_daily.account_key
        and account_daily.metric_date
        between scope_accounts.previous_start_date and scope_accounts.current_end_date
    group by 1, 2, 3, 4, 5, 6
),

publishing as (
    select
        scope_accounts.scope,
        scope_accounts.workspace_id,
        scope_accounts.platform,
        scope_accounts.scope_account_key,
        scope_accounts.period,
        count(*) filter (
            where posts.published_at::date >= scope_accounts.current_start_date
        ) as current_posts,
        count(*) filter (
            where posts.published_at::date <= scope_accounts.previous_end_date
        ) as previous_posts
    from scope_accounts
    inner join posts
        on scope_accounts.account_key = posts.account_key
        and posts.published_at::date between scope_accounts.previous_start_date and scope_accounts.current_end_date
    group by 1, 2, 3, 4, 5
),

judged as (
    -- an account counts for activity when every day of both windows is complete, for followers
    -- when both period ends are known
    select
        activity.*,
        activity.current_days = activity.period_days and activity.previous_days = activity.period_days
            as activity_known,
        activity.current_followers is not null and activity.previous_followers is not null as followers_known
    from activity
),

rolled_up as (
    select
        judged.scope,
        judged.workspace_id,
        judged.platform,
        judged.scope_account_key as account_key,
        judged.period,
        count(*) as accounts,
        count(*) filter (where judged.activity_known) as accounts_with_activity,
        count(*) filter (where judged.followers_known) as accounts_with_followers,
        sum(judged.current_views) filter (where judged.activity_known) as current_views,
        sum(judged.previous_views) filter (where judged.activity_known) as previous_views,
        sum(judged.current_engagements) filter (where judged.activity_known) as current_engagements,
        sum(judged.previous_engagements) filter (where judged.activity_known) as previous_engagements,
        sum(judged.current_followers) filter (where judged.followers_known) as current_followers,
        sum(judged.previous_followers) filter (where judged.followers_known) as previous_followers,
        string_agg(judged.account_key, ', ' order by judged.account_key) filter (where not judged.activity_known)
            as missing_activity,
        string_agg(judged.account_key, ', ' order by judged.account_key) filter (where not judged.followers_known)
            as missing_followers
    from judged
    group by 1, 2, 3, 4, 5
),

measured as (
    select
        rolled_up.*,
        windows.current_start_date,
        windows.current_end_date,
        windows.previous_start_date,
        windows.previous_end_date,
        coalesce(publishing.current_posts, 0) as current_posts,
        coalesce(publishing.previous_posts, 0) as previous_posts
    from rolled_up
    inner join windows
        on rolled_up.scope = windows.scope
        and rolled_up.workspace_id = windows.workspace_id
        and rolled_up.platform = windows.platform
        and rolled_up.account_key = windows.scope_account_key
        and rolled_up.period = windows.period
    left join publishing
        on rolled_up.scope = publishing.scope
        and rolled_up.workspace_id = publishing.workspace_id
        and rolled_up.platform = publishing.platform
        and rolled_up.account_key = publishing.scope_account_key
        and rolled_up.period = publishing.period
),

final as (
    select
        measured.scope || '|' || measured.workspace_id || '|' || measured.platform || '|' || measured.account_key
        || '|' || measured.period as comparison_key,
        measured.scope,
        measured.workspace_id,
        measured.platform,
        measured.account_key,
        measured.period,
        measured.current_start_date,
        measured.current_end_date,
        measured.previous_start_date,
        measured.previous_end_date,
        measured.accounts,
        measured.accounts_with_activity,
        measured.accounts_with_followers,
        measured.accounts_with_activity = measured.accounts
        and measured.accounts_with_followers = measured.accounts as is_comparable,
        measured.missing_activity as accounts_without_activity,
        measured.missing_followers as accounts_without_followers,
        {% for measure in measures %}
        measured.current_{{ measure }},
        measured.previous_{{ measure }},
        {% endfor %}
        -- sqlfluff misplaces the indent of a multi-line macro (pct_change) inside a loop:
        -- noqa: disable=LT02
        {% for measure in measures %}
        measured.current_{{ measure }} - measured.previous_{{ measure }} as {{ measure }}_change,
        {{ pct_change('measured.current_' ~ measure, 'measured.previous_' ~ measure) }} as {{ measure }}_change_pct,
        {% endfor %}
        -- noqa: enable=LT02
        nullif(
            concat_ws(
                '; ',
                'activity not known over both periods for: ' || measured.missing_activity,
                'followers not known at both period ends for: ' || measured.missing_followers
            ),
            ''
        ) as note
    from measured
)

select * from final
