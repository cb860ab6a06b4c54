-- One row per logged error (error_log, known events only) with its resolution: the earliest
-- error_resolved carrying the same error_id, whenever it arrived (a later day counts).
-- Incremental, and kept as state (the raw cleanup deletes old error events): errors logged on a rebuilt
-- day are recomputed, their resolutions searched from that day on; a stored error whose resolution
-- arrives later is updated from its stored row. loaded_at = the newest raw load that changed the row
-- (mart_error_logs rebuilds the days of rows changed since its last build).
{{ config(**community_incremental(
    unique_key=['error_id'],
    indexes=[{'columns': ['error_id']}, {'columns': ['day']}, {'columns': ['loaded_at']}],
)) }}

with

-- logged and resolutions read staging each with their own time bounds (one shared CTE would be
-- materialized from every raw event)
logged as (
    select
        error_id,
        message_id,
        day,
        event_at as logged_at,
        error_level as level,
        error_category as category,
        properties ->> 'message' as error_message,
        loaded_at
    from {{ ref('stg_community__events') }}
    where is_known_event and event_name = 'error_log' and {{ community_rebuild_filter('event_at') }}
),

resolutions as (
    select
        error_id,
        min(event_at) as resolved_at,
        max(loaded_at) as loaded_at
    from {{ ref('stg_community__events') }}
    where
        is_known_event
        and event_name = 'error_resolved'
        and error_id is not null
        -- a resolution comes after its error (a day of slack for a skewed clock)
        and {{ community_rebuild_since('event_at', slack_days=1) }}
    group by 1
),

{% if is_incremental() %}
stored as (
    select existing.*
    from {{ this }} as existing
    where existing.error_id in (select resolutions.error_id from resolutions)
        and existing.error_id not in (select logged.error_id from logged)
),
{% endif %}

candidates as (
    select
        logged.*,
        null::timestamptz as stored_resolved_at
    from logged
    {% if is_incremental() %}
    union all
    select
        stored.error_id,
        stored.message_id,
        stored.day,
        stored.logged_at,
        stored.level,
        stored.category,
        stored.error_message,
        stored.loaded_at,
        stored.resolved_at as stored_resolved_at
    from stored
    {% endif %}
),

final as (
    select
        candidates.error_id,
        candidates.message_id,
        candidates.day,
        candidates.logged_at,
        candidates.level,
        candidates.category,
        candidates.error_message,
        least(candidates.stored_resolved_at, resolutions.resolved_at) as resolved_at,
        greatest(candidates.loaded_at, resolutions.loaded_at) as loaded_at
    from candidates
    left join resolutions on candidates.error_id = resolutions.error_id
)

select
    error_id,
    message_id,
    day,
    logged_at,
    level,
    category,
    error_message,
    resolved_at,
    resolved_at is not null as is_resolved,
    round(extract(epoch from resolved_at - logged_at) / 60, 2) as minutes_to_resolve,
    loaded_at
from final
