-- One row per logged error (error_log, known events only) with its resolution: the earliest
-- error_resolved carrying the same error_id, whenever it arrived (a later day counts).
with

events as (
    select *
    from {{ ref('stg_community__events') }}
    where is_known_event and event_name in ('error_log', 'error_resolved')
),

logged as (
    select
        error_id,
        message_id,
        day,
        event_at as logged_at,
        error_level as level,
        error_category as category,
        properties ->> 'message' as error_message
    from events
    where event_name = 'error_log'
),

resolutions as (
    select
        error_id,
        min(event_at) as resolved_at
    from events
    where event_name = 'error_resolved' and error_id is not null
    group by 1
)

select
    logged.error_id,
    logged.message_id,
    logged.day,
    logged.logged_at,
    logged.level,
    logged.category,
    logged.error_message,
    resolutions.resolved_at,
    resolutions.resolved_at is not null as is_resolved,
    round(extract(epoch from resolutions.resolved_at - logged.logged_at) / 60, 2) as minutes_to_resolve
from logged
left join resolutions on logged.error_id = resolutions.error_id
