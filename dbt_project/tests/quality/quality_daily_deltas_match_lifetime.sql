{{ config(severity='error', tags=['quality']) }}
{#- Reconciliation (blocking): where a platform reports both a lifetime counter and daily values
    derived from snapshots, Σ daily deltas = the latest lifetime value (within 1 %). Platforms
    whose daily numbers come from their own daily report (YouTube Analytics) lag the lifetime
    counters by days and are not compared here. -#}
{% set metrics = ['views', 'likes', 'comments', 'shares'] %}
with

sums as (
    select
        {%- for m in metrics %}
        sum({{ m }}) as {{ m }},
        {%- endfor %}
        post_key,
        platform,
        post_id
    from {{ ref('fct_post_metrics_daily') }}
    group by post_key, platform, post_id
    having bool_and(metric_source = 'snapshot_diff')
)

select sums.post_key
from sums
inner join {{ ref('int_social__posts') }} as posts
    on sums.platform = posts.platform
    and sums.post_id = posts.post_id
where false
    {%- for m in metrics %}
    or {{ quality_differs('sums.' ~ m, 'posts.lifetime_' ~ m, 0.01) }}
    {%- endfor %}
