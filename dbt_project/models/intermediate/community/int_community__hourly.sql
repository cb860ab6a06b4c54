-- Community x UTC hour with data: online members over the hour's 12 five-minute sample points (from
-- int_community__presence) and community activity counts by type. Sparse (hours with an event or a
-- member online); mart_community_activity fills the hours in between with zeros.
-- Incremental (macros/community/rebuild_days.sql) on the hour's UTC day, so the hourly history stays
-- after the raw cleanup; the mart's trailing windows read it whole.
{{ config(**community_incremental(day_column='utc_day', indexes=[{'columns': ['utc_day']}])) }}

with

activity as (
    select
        community_id,
        date_trunc('hour', event_at, 'UTC') as hour_start,
        activity_type,
        user_id
    from {{ ref('stg_community__events') }}
    where
        is_known_event and event_name = 'community_activity' and community_id is not null
        and {{ community_rebuild_filter('event_at') }}
),

presence as (
    select
        community_id,
        date_trunc('hour', sample_at, 'UTC') as hour_start,
        sample_at,
        count(*) as online_members
    from {{ ref('int_community__presence') }}
    where {{ community_rebuild_filter('sample_at') }}
    group by 1, 2, 3
),

counts as (
    select
        community_id,
        hour_start,
        count(distinct user_id) as active_members,
        count(*) filter (where activity_type = 'view') as views,
        count(*) filter (where activity_type = 'join') as joins,
        count(*) filter (where activity_type = 'leave') as leaves,
        count(*) filter (where activity_type = 'post') as posts,
        count(*) filter (where activity_type = 'comment') as comments,
        count(*) filter (where activity_type = 'like') as likes,
        count(*) filter (where activity_type = 'share') as shares,
        count(*) filter (where activity_type = 'heartbeat') as heartbeats,
        count(*) filter (where activity_type <> 'heartbeat') as total_activities
    from activity
    group by 1, 2
),

online as (
    select
        community_id,
        hour_start,
        round(sum(online_members)::numeric / 12, 2) as online_members_avg,
        max(online_members) as online_members_peak
    from presence
    group by 1, 2
),

final as (
    select
        coalesce(counts.community_id, online.community_id) as community_id,
        coalesce(counts.hour_start, online.hour_start) as hour_start,
        (coalesce(counts.hour_start, online.hour_start) at time zone 'UTC')::date as utc_day,
        coalesce(online.online_members_avg, 0.00) as online_members_avg,
        coalesce(online.online_members_peak, 0) as online_members_peak,
        coalesce(counts.active_members, 0) as active_members,
        coalesce(counts.views, 0) as views,
        coalesce(counts.joins, 0) as joins,
        coalesce(counts.leaves, 0) as leaves,
        coalesce(counts.posts, 0) as posts,
        coalesce(counts.comments, 0) as comments,
        coalesce(counts.likes, 0) as likes,
        coalesce(counts.shares, 0) as shares,
        coalesce(counts.heartbeats, 0) as heartbeats,
        coalesce(counts.total_activities, 0) as total_activities
    from counts
    full outer join online on counts.community_id = online.community_id and counts.hour_start = online.hour_start
)

select * from final
