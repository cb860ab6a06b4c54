{{ config(severity='error', tags=['quality']) }}
{#- Reconciliation (blocking): per post, the baseline (lifetime before tracking) plus the daily
    values of fct_post_metrics_daily add up to the cumulative value of its last day. A gap or a
    double-counted day breaks every period total. -#}
{% set metrics = ['views', 'likes', 'comments', 'shares', 'engagements'] %}
with

sums as (
    select
        {%- for m in metrics %}
        sum({{ m }}) as {{ m }},
        {%- endfor %}
        post_key,
        max(metric_date) as last_date
    from {{ ref('fct_post_metrics_daily') }}
    group by post_key
),

baselines as (
    select
        post_key,
        {%- for m in metrics if m != 'engagements' %}
        coalesce(baseline_{{ m }}, 0) as {{ m }},
        {%- endfor %}
        coalesce(baseline_likes, 0) + coalesce(baseline_comments, 0) + coalesce(baseline_shares, 0) as engagements
    from {{ ref('dim_posts') }}
)

select
    sums.post_key,
    sums.last_date
from sums
inner join baselines on sums.post_key = baselines.post_key
inner join {{ ref('fct_post_metrics_daily') }} as last
    on sums.post_key = last.post_key
    and sums.last_date = last.metric_date
where false
    {%- for m in metrics %}
    or {{ quality_differs('sums.' ~ m ~ ' + baselines.' ~ m, 'last.cumulative_' ~ m, 0.001) }}
    {%- endfor %}
