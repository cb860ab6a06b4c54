-- Member x day: seed 004's UserAnalytics (both of its field lists). A row exists where the member had a
-- known event (identify aside), was online, or received a like or a follow / unfollow that day.
-- Online time comes from int_community__presence, sessions from int_community__sessions (30-min rule).
-- Incremental (macros/community/rebuild_days.sql): days with new events and the day before (a session is
-- counted on the day it starts). travel_detected compares with the latest registration country, which
-- int_community__registrations keeps beyond the raw cleanup.
{{ config(**community_incremental(before=1, upstream=['int_community__sessions', 'int_community__registrations'],
                                  indexes=[{'columns': ['day']}, {'columns': ['user_id', 'day']}])) }}

with

events as (
    select *
    from {{ ref('stg_community__events') }}
    where is_known_event and event_type <> 'identify' and {{ community_rebuild_filter('event_at') }}
),

member_events as (
    select *
    from events
    where user_id is not null
),

-- registration country of the member's latest identify (unknown without one: travel_detected NULL), kept
-- by int_community__registrations beyond the raw cleanup
registrations as (
    select
        user_id,
        registration_country
    from {{ ref('int_community__registrations') }}
),

counts as (
    select
        user_id,
        day,
        count(*) filter (where event_type = 'page') as page_views,
        count(*) filter (
            where (event_name = 'community_activity' and activity_type <> 'heartbeat')
            or event_name in ('follow', 'unfollow', 'recommendation_clicked')
        ) as actions_performed,
        count(distinct community_id) filter (where activity_type = 'view') as communities_viewed,
        count(distinct community_id) filter (where activity_type = 'join') as communities_joined,
        count(*) filter (where activity_type in ('post', 'comment', 'like', 'share')) as community_interactions,
        count(*) filter (where event_name = 'geo_access_attempt') as geo_access_attempts,
        count(*) filter (where event_name = 'geo_access_attempt' and access_result = 'blocked')
            as geo_restricted_attempts,
        count(*) filter (where activity_type = 'post') as posts,
        count(*) filter (where activity_type = 'comment') as comments,
        count(*) filter (where activity_type = 'share') as shares,
        count(*) filter (where activity_type = 'like') as likes_given,
        count(*) filter (where event_name = 'recommendation_shown') as recommendations_shown,
        count(*) filter (where event_name = 'recommendation_clicked') as recommendations_clicked
    from member_events
    group by 1, 2
),

-- likes of the member's posts / comments and follows of the member, counted on the act's day
received as (
    select
        target_user_id as user_id,
        day,
        count(*) filter (where activity_type = 'like') as likes_received,
        count(*) filter (where event_name = 'follow') as followers_gained,
        count(*) filter (where event_name = 'unfollow') as followers_lost
    from events
    where target_user_id is not null and (activity_type = 'like' or event_name in ('follow', 'unfollow'))
    group by 1, 2
),

places as (
    select distinct
        user_id,
        day,
        country,
        region,
        city
    from member_events
    where coalesce(country, region, city) is not null
),

locations as (
    select
        places.user_id,
        places.day,
        jsonb_agg(
            jsonb_build_object('country', places.country, 'region', places.region, 'city', places.city)
            order by places.country, places.region, places.city
        ) as locations_accessed_from,
        count(*) as locations_count,
        bool_or(places.country <> registrations.registration_country) as travel_detected
    from places
    left join registrations on places.user_id = registrations.user_id
    group by 1, 2
),

-- online time: 300 s per sample point at which the member was online in any community
online as (
    select
        user_id,
        (sample_at at time zone 'UTC')::date as day,
        count(distinct sample_at) * 300 as community_online_time_s
    from {{ ref('int_community__presence') }}
    where {{ community_rebuild_filter('sample_at') }}
    group by 1, 2
),

sessions as (
    select
        user_id,
        day,
        count(*) as sessions,
        sum(duration_s) as time_spent_s,
        round(avg(duration_s), 2) as avg_session_duration_s
    from {{ ref('int_community__sessions') }}
    where user_id is not null and {{ community_rebuild_day_filter('day') }}
    group by 1, 2
),

spine as (
    select
        user_id,
        day
    from counts
    union
    select
        user_id,
        day
    from received
    union
    select
        user_id,
        day
    from online
),

final as (
    select
        spine.user_id,
        spine.day,
        coalesce(counts.page_views, 0) as page_views,
        coalesce(counts.actions_performed, 0) as actions_performed,
        coalesce(counts.communities_viewed, 0) as communities_viewed,
        coalesce(counts.communities_joined, 0) as communities_joined,
        coalesce(online.community_online_time_s, 0) as community_online_time_s,
        coalesce(counts.community_interactions, 0) as community_interactions,
        coalesce(counts.geo_access_attempts, 0) as geo_access_attempts,
        coalesce(counts.geo_restricted_attempts, 0) as geo_restricted_attempts,
        coalesce(locations.locations_accessed_from, '[]'::jsonb) as locations_accessed_from,
        coalesce(locations.locations_count, 0) as locations_count,
        locations.travel_detected,
        coalesce(counts.posts, 0) as posts,
        coalesce(counts.comments, 0) as comments,
        coalesce(counts.shares, 0) as shares,
        coalesce(counts.likes_given, 0) as likes_given,
        coalesce(received.likes_received, 0) as likes_received,
        coalesce(received.followers_gained, 0) as followers_gained,
        coalesce(received.followers_lost, 0) as followers_lost,
        coalesce(sessions.sessions, 0) as sessions,
        coalesce(sessions.time_spent_s, 0) as time_spent_s,
        sessions.avg_session_duration_s,
        coalesce(counts.recommendations_shown, 0) as recommendations_shown,
        coalesce(counts.recommendations_clicked, 0) as recommendations_clicked
    from spine
    left join counts on spine.user_id = counts.user_id and spine.day = counts.day
    left join received on spine.user_id = received.user_id and spine.day = received.day
    left join locations on spine.user_id = locations.user_id and spine.day = locations.day
    left join online on spine.user_id = online.user_id and spine.day = online.day
    left join sessions on spine.user_id = sessions.user_id and spine.day = sessions.day
)

select * from final
