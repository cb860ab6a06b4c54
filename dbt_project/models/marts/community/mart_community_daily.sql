-- Community x day (seed 004 DailyAnalytics, per community). Rows exist where the community had at
-- least one event that names it (page, community_activity, geo_access_attempt, recommendation_*).
-- Platform-wide fields (api requests, response time, errors, sessions, bounce) have no community:
-- they live in mart_community_platform_daily.
-- Incremental (macros/community/rebuild_days.sql): from the earliest day with new events through the
-- latest day (a member's first join moving earlier changes total_users of every later day); members'
-- first joins come from int_community__first_joins, which outlives the raw cleanup.
{{ config(**community_incremental(through_latest=true, upstream=['int_community__first_joins'])) }}

with

events as (
    select *
    from {{ ref('stg_community__events') }}
    where is_known_event and community_id is not null and {{ community_rebuild_filter('event_at') }}
),

first_joins as (
    select * from {{ ref('int_community__first_joins') }}
),

new_members as (
    select
        community_id,
        join_day as day,
        count(*) as new_users
    from first_joins
    group by 1, 2
),

-- presence (int_community__presence): members online at each of the day's 288 five-minute UTC sample
-- points 00:00 .. 23:55; a point without a row has 0 online
slots as (
    select
        community_id,
        sample_at,
        count(*) as online_members
    from {{ ref('int_community__presence') }}
    where {{ community_rebuild_filter('sample_at') }}
    group by 1, 2
),

presence as (
    select
        community_id,
        (sample_at at time zone 'UTC')::date as day,
        round(sum(online_members)::numeric / 288, 2) as avg_online_members,
        max(online_members) as peak_online_members
    from slots
    group by 1, 2
),

counts as (
    select
        community_id,
        day,
        count(distinct user_id) as active_users,
        count(*) filter (where event_type = 'page') as community_views,
        count(*) filter (where event_name = 'community_activity' and activity_type = 'join') as community_joins,
        count(*) filter (where event_name = 'community_activity' and activity_type = 'leave') as community_leaves,
        count(*) filter (where event_name = 'geo_access_attempt') as geo_access_attempts,
        count(*) filter (where event_name = 'geo_access_attempt' and access_result = 'blocked') as geo_blocked,
        count(*) filter (where event_name = 'geo_access_attempt' and access_result = 'allowed') as geo_allowed,
        count(*) filter (where event_name = 'geo_access_attempt' and is_traveler) as traveler_access,
        count(*) filter (where event_name = 'geo_access_attempt' and is_bypass) as geo_bypasses,
        count(*) filter (where event_type = 'page' and page_path like '%/posts/%') as content_views,
        count(*) filter (
            where event_name = 'community_activity' and activity_type in ('post', 'comment', 'like', 'share')
        ) as content_interactions
    from events
    group by 1, 2
),

final as (
    select
        counts.community_id,
        counts.day,
        (
            select count(*) from first_joins
            where first_joins.community_id = counts.community_id and first_joins.join_day <= counts.day
        )::int as total_users,
        counts.active_users,
        coalesce(new_members.new_users, 0) as new_users,
        counts.community_views,
        counts.community_joins,
        counts.community_leaves,
        coalesce(presence.avg_online_members, 0) as avg_online_members,
        coalesce(presence.peak_online_members, 0) as peak_online_members,
        counts.geo_access_attempts,
        counts.geo_blocked,
        counts.geo_allowed,
        counts.traveler_access,
        counts.geo_bypasses,
        counts.content_views,
        counts.content_interactions
    from counts
    left join new_members
        on counts.community_id = new_members.community_id and counts.day = new_members.day
    left join presence
        on counts.community_id = presence.community_id and counts.day = presence.day
)

select * from final
