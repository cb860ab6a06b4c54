-- Day-level (platform-wide) part of seed 004's DailyAnalytics: what has no community — API requests,
-- response time, errors, sessions and bounce — plus platform-wide users. Rows exist for every day with
-- at least one known event.
-- Incremental (macros/community/rebuild_days.sql): days with new events, and the day before (a session
-- counted there may have grown), are recomputed; when a member's registration is new or earlier, every
-- later day is restated: its registration counts recomputed, its other columns kept.
{{ config(**community_incremental(
    before=1,
    upstream=['int_community__sessions', 'int_community__registrations'],
    restate_from={'model': 'int_community__registrations', 'column': 'registration_day'},
)) }}

with

events as (
    select *
    from {{ ref('stg_community__events') }}
    where is_known_event and {{ community_rebuild_filter('event_at') }}
),

registrations as (
    select * from {{ ref('int_community__registrations') }}
),

days as (
    select
        day,
        count(distinct user_id) as active_users,
        count(*) filter (where event_name = 'api_request') as api_requests,
        round(avg(response_time_ms) filter (where event_name = 'api_request'), 4) as avg_response_time_ms,
        count(*) filter (where event_name = 'error_log') as error_count,
        count(*) filter (where event_name = 'error_resolved') as errors_resolved
    from events
    group by 1
),

sessions as (
    select
        day,
        count(*) as sessions,
        round(avg(duration_s), 2) as avg_session_duration_s,
        count(*) filter (where is_bounce) as bounces
    from {{ ref('int_community__sessions') }}
    where {{ community_rebuild_day_filter('day') }}
    group by 1
),

recomputed as (
    select
        days.day,
        days.active_users,
        days.api_requests,
        days.avg_response_time_ms,
        days.error_count,
        days.errors_resolved,
        coalesce(sessions.sessions, 0) as sessions,
        sessions.avg_session_duration_s,
        {{ rate_pct('sessions.bounces', 'sessions.sessions') }} as bounce_rate
    from days
    left join sessions on days.day = sessions.day
),

all_days as (
    select * from recomputed
    {% if is_incremental() %}
    union all
    select
        day,
        active_users,
        api_requests,
        avg_response_time_ms,
        error_count,
        errors_resolved,
        sessions,
        avg_session_duration_s,
        bounce_rate
    from {{ this }}
    where {{ community_rebuild_day_filter('day', days='restated') }}
    {% endif %}
),

registered as (
    select
        all_days.day,
        count(registrations.user_id) as total_users,
        count(registrations.user_id) filter (where registrations.registration_day = all_days.day)
            as new_registrations
    from all_days
    left join registrations on all_days.day >= registrations.registration_day
    group by 1
),

final as (
    select
        all_days.day,
        registered.total_users,
        all_days.active_users,
        registered.new_registrations,
        all_days.api_requests,
        all_days.avg_response_time_ms,
        all_days.error_count,
        all_days.errors_resolved,
        all_days.sessions,
        all_days.avg_session_duration_s,
        all_days.bounce_rate
    from all_days
    left join registered on all_days.day = registered.day
)

select * from final
