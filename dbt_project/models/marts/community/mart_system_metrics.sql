-- metric_type x grain x period_start: the distribution of seed 004's SystemMetric values per
-- 15-minute, hour and day UTC period (system_metric events, every 5 minutes per metric_type), with
-- api_request response times added as metric_type 'response_time_ms'. Periods are UTC-aligned
-- (epoch buckets of 900, 3600 and 86400 s); a row exists where the period had at least one sample.
-- Incremental by the UTC day of period_start (every period lies within one UTC day).
{{ config(**community_incremental(day_column="(period_start at time zone 'UTC')::date",
                                  indexes=[{'columns': ['period_start']}])) }}

with

samples as (
    select
        metric_type,
        event_at,
        metric_value as sample_value
    from {{ ref('stg_community__events') }}
    where
        is_known_event and event_name = 'system_metric' and metric_value is not null
        and {{ community_rebuild_filter('event_at') }}
    union all
    select
        'response_time_ms' as metric_type,
        event_at,
        response_time_ms as sample_value
    from {{ ref('stg_community__events') }}
    where
        is_known_event and event_name = 'api_request' and response_time_ms is not null
        and {{ community_rebuild_filter('event_at') }}
),

grains as (
    select
        grains.grain,
        grains.seconds
    from (values ('15 minutes', 900), ('hour', 3600), ('day', 86400)) as grains (grain, seconds)
),

bucketed as (
    select
        samples.metric_type,
        grains.grain,
        to_timestamp(floor(extract(epoch from samples.event_at) / grains.seconds) * grains.seconds) as period_start,
        samples.sample_value
    from samples
    cross join grains
),

final as (
    select
        metric_type,
        grain,
        period_start,
        count(*) as sample_count,
        round(avg(sample_value), 4) as mean_value,
        round((percentile_cont(0.5) within group (order by sample_value))::numeric, 4) as p50,
        round((percentile_cont(0.95) within group (order by sample_value))::numeric, 4) as p95,
        max(sample_value) as max_value,
        min(sample_value) as min_value
    from bucketed
    group by 1, 2, 3
)

select * from final
