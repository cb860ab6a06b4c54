{{ config(severity='warn', tags=['quality']) }}
{#- Reconciliation (warning): where a platform reports an account's days itself, the sum of its
    posts' daily views / impressions / likes over the account's complete reported days (after the
    first sync day, whose morning is in the posts' baselines) may exceed the account's own totals
    by at most 10 % + 20 (the posts' days between readings are estimates: docs/metrics.md,
    "Tolerances"). Account totals legitimately include content the post list misses (stories,
    deleted posts, profile views), so only an excess is suspicious; a definition change at the
    platform is reported, not blocking. Accounts summed from their posts are equal by construction
    and not compared. -#}
{% set metrics = ['views', 'impressions', 'likes'] %}
with

posts as (
    select
        {%- for m in metrics %}
        sum({{ m }}) as {{ m }},
        {%- endfor %}
        account_key,
        metric_date
    from {{ ref('fct_post_metrics_daily') }}
    group by account_key, metric_date
),

paired as (
    select
        {%- for m in metrics %}
        sum(posts.{{ m }}) as post_{{ m }},
        sum(accounts.{{ m }}) as account_{{ m }},
        {%- endfor %}
        accounts.account_key,
        count(*) as days_compared
    from {{ ref('fct_account_metrics_daily') }} as accounts
    inner join {{ ref('mart_data_coverage') }} as coverage on accounts.account_key = coverage.account_key
    inner join posts
        on accounts.account_key = posts.account_key
        and accounts.metric_date = posts.metric_date
    where accounts.is_complete
        and accounts.activity_source = 'account_report'
        and accounts.metric_date > coverage.tracked_since::date
    group by accounts.account_key
)

select *
from paired
where false
    {%- for m in metrics %}
    or (account_{{ m }} is not null and post_{{ m }} > account_{{ m }} * 1.10 + 20)
    {%- endfor %}
