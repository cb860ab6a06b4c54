{{ config(severity='error', tags=['quality']) }}
{#- Lifetime counters never go down, except on a day the platform corrected them, which the
    facts flag with has_negative_delta (blocking: an unflagged drop means a broken baseline). -#}
select
    post_key,
    metric_date
from {{ ref('fct_post_metrics_daily') }}
where not coalesce(has_negative_delta, false)
    and (views < 0 or likes < 0 or comments < 0 or shares < 0 or saves < 0)
