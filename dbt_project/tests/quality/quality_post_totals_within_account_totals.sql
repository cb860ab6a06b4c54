{{ config(severity='warn', tags=['quality']) }}
{#- Reconciliation (warning): over an account's history, Σ post daily views / likes may not exceed
    the account's own daily totals by more than 10 % where the platform reports both. Account
    totals legitimately include content the post list misses (stories, deleted posts), so only an
    excess is suspicious — and a definition change at the platform is reported, not blocking. -#}
{% set metrics = ['views', 'likes'] %}
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
        accounts.account_key
    from {{ ref('fct_account_metrics_daily') }} as accounts
    inner join posts
        on accounts.account_key = posts.account_key
        and accounts.metric_date = posts.metric_date
    group by accounts.account_key
)

select *
from paired
where false
    {%- for m in metrics %}
    or (account_{{ m }} > 0 and post_{{ m }} > account_{{ m }} * 1.10)
    {%- endfor %}
