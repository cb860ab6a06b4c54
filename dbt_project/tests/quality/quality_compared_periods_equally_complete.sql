{{ config(severity='error', tags=['quality']) }}
{#- Meaning (blocking the comparison): mart_period_comparison may only put activity of two periods
    side by side when both are equally long and every account it sums is complete on every day of
    both (fct_account_metrics_daily.is_complete) — a partial period compared with a complete one
    reads as a fall. Recomputed here from the facts, independently of the mart's own bookkeeping:
    a row with a views or engagements change must have, for every account of its scope not named
    in accounts_without_activity, exactly period-length complete days in each window. A failure
    means the mart compared what it must not: the comparison (and the reports reading it) is
    blocked until fixed. -#}
with

comparison as (
    select * from {{ ref('mart_period_comparison') }}
    where views_change is not null or engagements_change is not null
),

scoped as (
    select
        comparison.comparison_key,
        comparison.current_start_date,
        comparison.current_end_date,
        comparison.previous_start_date,
        comparison.previous_end_date,
        accounts.account_key
    from comparison
    inner join {{ ref('dim_accounts') }} as accounts
        on comparison.workspace_id = accounts.workspace_id
        and (comparison.platform = 'all' or comparison.platform = accounts.platform)
        and (comparison.account_key = 'all' or comparison.account_key = accounts.account_key)
    where not accounts.account_key = any(string_to_array(coalesce(comparison.accounts_without_activity, ''), ', '))
),

complete_days as (
    select
        scoped.comparison_key,
        scoped.account_key,
        scoped.current_end_date - scoped.current_start_date + 1 as current_length,
        scoped.previous_end_date - scoped.previous_start_date + 1 as previous_length,
        count(*) filter (
            where daily.metric_date between scoped.current_start_date and scoped.current_end_date
        ) as current_complete,
        count(*) filter (
            where daily.metric_date between scoped.previous_start_date and scoped.previous_end_date
        ) as previous_complete
    from scoped
    left join {{ ref('fct_account_metrics_daily') }} as daily
        on scoped.account_key = daily.account_key
        and daily.is_complete
        and daily.metric_date between scoped.previous_start_date and scoped.current_end_date
    group by 1, 2, 3, 4
)

select *
from complete_days
where current_length <> previous_length
    or current_complete <> current_length
    or previous_complete <> previous_length
