-- Day-level (platform-wide) part of seed 004's DailyAnalytics: what has no community — API requests,
-- response time, errors, sessions and bounce — plus platform-wide users. Rows exist for every day with
-- at least one known event.
with

events as (
    select *
    from {{ ref('stg_community__events') }}
    where is_known_event
),

registrations as (
    select
        user_id,
        (min(registered_at) at time zone 'UTC')::date as registration_day
    from events
    where event_type = 'identify' and user_id is not null and registered_at is not null
    group by 1
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
    group by 1
),

registered as (
    select
        days.day,
        count(registrations.user_id) as total_users,
        count(registrations.user_id) filter (where registrations.registration_day = days.day) as new_registrations
    from days
    left join registrations on days.day >= registrations.registration_day
    group by 1
),

final as (
    select
        days.day,
        registered.total_users,
        days.active_users,
        registered.new_registrations,
        days.api_requests,
        days.avg_response_time_ms,
        days.error_count,
        days.errors_resolved,
        coalesce(sessions.sessions, 0) as sessions,
        sessions.avg_session_duration_s,
        {{ rate_pct('sessions.bounces', 'sessions.sessions') }} as bounce_rate
    from days
    left join sessions on days.day = sessions.day
    left join registered on days.day = registered.day
)

select * from final
