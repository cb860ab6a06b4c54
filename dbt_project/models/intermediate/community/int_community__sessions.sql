-- Sessions per actor (member, else anonymous id): a gap of more than 30 minutes without activity
-- starts a new session (Plausible / PostHog). Activity = page views and user-side track events;
-- technical events (api_request, system_metric, error_log, error_resolved) and identify do not
-- extend or start a session. Bounce = exactly one page view and no other event.
-- Incremental (macros/community/rebuild_days.sql): an event on day d can extend a session that started
-- on d - 1, so both days are rebuilt; they are recomputed from the events of the day before to the day
-- after (a session starting at 23:50 continues past midnight). A session is keyed by its actor and start,
-- which a later build does not renumber.
{{ config(**community_incremental(before=1, indexes=[{'columns': ['day']}, {'columns': ['user_id', 'day']}])) }}

with

events as (
    select
        message_id,
        actor_id,
        user_id,
        anonymous_id,
        event_type,
        community_id,
        event_at
    from {{ ref('stg_community__events') }}
    where
        is_known_event
        and actor_id is not null
        and (
            event_type = 'page'
            or event_name in (
                'community_activity', 'geo_access_attempt', 'follow', 'unfollow',
                'recommendation_shown', 'recommendation_clicked'
            )
        )
        and {{ community_rebuild_filter('event_at', read_before=1, read_after=1) }}
),

gaps as (
    select
        *,
        lag(event_at) over (partition by actor_id order by event_at, message_id) as previous_at
    from events
),

numbered as (
    select
        *,
        sum(case when previous_at is null or event_at - previous_at > interval '30 minutes' then 1 else 0 end)
            over (partition by actor_id order by event_at, message_id rows unbounded preceding)
            as session_number
    from gaps
),

final as (
    select
        actor_id || '@' || to_char(min(event_at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') as session_key,
        actor_id,
        max(user_id) as user_id,
        max(anonymous_id) as anonymous_id,
        min(event_at) as session_start,
        max(event_at) as session_end,
        (min(event_at) at time zone 'UTC')::date as day,
        round(extract(epoch from max(event_at) - min(event_at))::numeric, 3) as duration_s,
        count(*) filter (where event_type = 'page') as page_views,
        count(*) as events,
        count(distinct community_id) as communities_visited,
        count(*) = 1 and count(*) filter (where event_type = 'page') = 1 as is_bounce
    from numbered
    group by actor_id, session_number
)

select * from final
where {{ community_rebuild_day_filter('day') }}
