-- Within a period min <= p50 <= p95 <= max and min <= mean <= max; and the three grains hold the
-- same samples: per metric_type and UTC day, the 15-minute, hour and day sample counts sum alike.
with

metrics as (
    select * from {{ ref('mart_system_metrics') }}
),

out_of_order as (
    select
        metric_type,
        grain,
        period_start
    from metrics
    where
        not (min_value <= p50 and p50 <= p95 and p95 <= max_value)
        or not (min_value <= mean_value and mean_value <= max_value)
),

per_day as (
    select
        metric_type,
        (period_start at time zone 'UTC')::date as day,
        sum(sample_count) filter (where grain = '15 minutes') as quarter_samples,
        sum(sample_count) filter (where grain = 'hour') as hour_samples,
        sum(sample_count) filter (where grain = 'day') as day_samples
    from metrics
    group by 1, 2
),

grains_disagree as (
    select
        metric_type,
        'day' as grain,
        day::timestamptz as period_start
    from per_day
    where
        quarter_samples is distinct from hour_samples
        or hour_samples is distinct from day_samples
)

select * from out_of_order
union all
select * from grains_disagree
