-- Community x UTC hour (seed 004's real-time community analytics, rolled up): online members and
-- activity counts by type from int_community__hourly (the incremental hourly rollup), an activity
-- score / level, and the local weekday x hour pattern with the community's peak hours.
-- One row per hour from the community's first activity to the last hour of data (zeros included, so
-- averages over hours are honest). Local = the workspace's time zone (env TIDEMARK_WORKSPACE_TIMEZONE,
-- set by Tidemark from tidemark.yaml; the var workspace_timezone overrides it, as the unit test does).
-- A table over the rollup (communities x hours is small): the trailing windows need the whole history.
{% set tz = var('workspace_timezone', env_var('TIDEMARK_WORKSPACE_TIMEZONE', 'UTC')) %}
with

rollup as (
    select * from {{ ref('int_community__hourly') }}
),

bounds as (
    select
        community_id,
        min(hour_start) as first_hour
    from rollup
    group by 1
),

last_hour as (
    select max(hour_start) as last_hour
    from rollup
),

hours as (
    select
        bounds.community_id,
        generate_series(bounds.first_hour, last_hour.last_hour, interval '1 hour') as hour_start
    from bounds
    cross join last_hour
),

hourly as (
    select
        hours.community_id,
        hours.hour_start,
        (hours.hour_start at time zone '{{ tz }}')::date as day,
        extract(isodow from hours.hour_start at time zone '{{ tz }}')::int as weekday,
        extract(hour from hours.hour_start at time zone '{{ tz }}')::int as hour_of_day,
        date_trunc('week', hours.hour_start at time zone '{{ tz }}')::date as local_week,
        coalesce(rollup.online_members_avg, 0.00) as online_members_avg,
        coalesce(rollup.online_members_peak, 0) as online_members_peak,
        coalesce(rollup.active_members, 0) as active_members,
        coalesce(rollup.views, 0) as views,
        coalesce(rollup.joins, 0) as joins,
        coalesce(rollup.leaves, 0) as leaves,
        coalesce(rollup.posts, 0) as posts,
        coalesce(rollup.comments, 0) as comments,
        coalesce(rollup.likes, 0) as likes,
        coalesce(rollup.shares, 0) as shares,
        coalesce(rollup.heartbeats, 0) as heartbeats,
        coalesce(rollup.total_activities, 0) as total_activities
    from hours
    left join rollup on hours.community_id = rollup.community_id and hours.hour_start = rollup.hour_start
),

-- score 0-10: the hour's activities relative to the community's busiest hour of the trailing 28 days
scored as (
    select
        *,
        max(total_activities) over (
            partition by community_id order by hour_start
            range between interval '671 hours' preceding and current row
        ) as trailing_peak_activities
    from hourly
),

slot_weeks as (
    select
        community_id,
        local_week,
        weekday,
        hour_of_day,
        sum(total_activities) as activities
    from hourly
    group by 1, 2, 3, 4
),

-- peak hours of a local week: the community's top-3 weekday x hour slots by activities over the (up
-- to) 4 preceding local weeks; no preceding week in the data = unknown
community_weeks as (
    select distinct
        community_id,
        local_week
    from hourly
),

prior_slots as (
    select
        community_weeks.community_id,
        community_weeks.local_week,
        earlier.weekday,
        earlier.hour_of_day,
        sum(earlier.activities) as prior_activities
    from community_weeks
    inner join slot_weeks as earlier
        on community_weeks.community_id = earlier.community_id
        and earlier.local_week between community_weeks.local_week - 28 and community_weeks.local_week - 7
    group by 1, 2, 3, 4
),

ranked as (
    select
        *,
        row_number() over (
            partition by community_id, local_week
            order by prior_activities desc, weekday asc, hour_of_day asc
        ) as slot_rank
    from prior_slots
),

peak_slots as (
    select
        community_id,
        local_week,
        weekday,
        hour_of_day
    from ranked
    where slot_rank <= 3 and prior_activities > 0
),

weeks_with_history as (
    select distinct
        community_id,
        local_week
    from prior_slots
),

final as (
    select
        scored.community_id,
        scored.hour_start,
        scored.day,
        scored.weekday,
        scored.hour_of_day,
        scored.online_members_avg,
        scored.online_members_peak,
        scored.active_members,
        scored.views,
        scored.joins,
        scored.leaves,
        scored.posts,
        scored.comments,
        scored.likes,
        scored.shares,
        scored.heartbeats,
        scored.total_activities,
        {{ activity_score('scored.total_activities', 'scored.trailing_peak_activities') }} as activity_score,
        {{ activity_level(activity_score('scored.total_activities', 'scored.trailing_peak_activities')) }}
            as activity_level,
        case
            when weeks_with_history.local_week is null then null
            else peak_slots.local_week is not null
        end as is_peak_hour
    from scored
    left join weeks_with_history
        on scored.community_id = weeks_with_history.community_id and scored.local_week = weeks_with_history.local_week
    left join peak_slots
        on scored.community_id = peak_slots.community_id
        and scored.local_week = peak_slots.local_week
        and scored.weekday = peak_slots.weekday
        and scored.hour_of_day = peak_slots.hour_of_day
)

select * from final
