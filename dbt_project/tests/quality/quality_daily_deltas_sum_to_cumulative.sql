{{ config(severity='error', tags=['quality']) }}
{#- Reconciliation (blocking): per post, the daily values of fct_post_metrics_daily add up to the
    cumulative value of its last day. A gap or a double-counted day breaks every period total. -#}
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
)

select
    sums.post_key,
    sums.last_date
from sums
inner join {{ ref('fct_post_metrics_daily') }} as last
    on sums.post_key = last.post_key
    and sums.last_date = last.metric_date
where false
    {%- for m in metrics %}
    or {{ quality_differs('sums.' ~ m, 'last.cumulative_' ~ m, 0.001) }}
    {%- endfor %}
