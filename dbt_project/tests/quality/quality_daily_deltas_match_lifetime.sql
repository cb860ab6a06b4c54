{{ config(severity='error', tags=['quality']) }}
{#- Reconciliation (blocking): where a platform reports lifetime counters and the daily values come
    from differences of them, baseline (lifetime before tracking) + Σ daily = the latest lifetime
    value, per post (within 1 %): no day was lost or counted twice between the readings and the
    facts (incremental runs included). Platforms whose daily numbers come from their own daily
    report (YouTube Analytics) lag the lifetime counters by days and are not compared here. -#}
{% set metrics = ['views', 'likes', 'comments', 'shares'] %}
with

sums as (
    select
        {%- for m in metrics %}
        sum({{ m }}) as {{ m }},
        {%- endfor %}
        post_key
    from {{ ref('fct_post_metrics_daily') }}
    group by post_key
    having bool_and(metric_source = 'snapshot_diff')
)

select sums.post_key
from sums
inner join {{ ref('dim_posts') }} as posts on sums.post_key = posts.post_key
inner join {{ ref('int_social__posts') }} as lifetime
    on posts.platform = lifetime.platform
    and posts.post_id = lifetime.post_id
where false
    {%- for m in metrics %}
    or {{ quality_differs('sums.' ~ m ~ ' + coalesce(posts.baseline_' ~ m ~ ', 0)', 'lifetime.lifetime_' ~ m, 0.01) }}
    {%- endfor %}
