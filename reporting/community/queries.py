"""SQL of the community reports, over the community marts only (plus the communities' names).

Parameters: `start`, `end` (the report's days, UTC dates like the marts' `day`), `day` (the report
day of the daily report = `end`) and `top_n`. Days are the marts' UTC dates throughout.
"""

# Communities known from the reference data or from any mart row up to the period's end.
COMMUNITIES = """
    with known as (
        select community_id from marts.mart_community_daily where day <= %(end)s
        union
        select community_id from marts.mart_geo_restriction where day <= %(end)s
        {reference_union}
    )
    select known.community_id, {name} as community_name
    from known {reference_join}
    order by known.community_id
"""
REFERENCE = "staging.stg_community__communities"

# Days of the period with at least one known event anywhere (the platform-wide mart has a row then).
DAYS_WITH_DATA = """
    select day from marts.mart_community_platform_daily where day between %(start)s and %(end)s order by day
"""

COMMUNITY_DAYS = """
    select community_id, day, total_users, active_users, new_users, community_joins, community_leaves,
           community_views, content_views, content_interactions, avg_online_members, peak_online_members,
           geo_access_attempts, geo_blocked, geo_allowed, traveler_access, geo_bypasses
    from marts.mart_community_daily
    where day between %(start)s and %(end)s
    order by community_id, day
"""

# total_users is a running count: a community without a row on a day keeps its last known value.
MEMBERS_BEFORE = """
    select distinct on (community_id) community_id, total_users
    from marts.mart_community_daily
    where day < %(start)s
    order by community_id, day desc
"""

PLATFORM_DAYS = """
    select day, total_users, active_users, new_registrations, sessions, avg_session_duration_s, bounce_rate,
           api_requests, avg_response_time_ms, error_count, errors_resolved
    from marts.mart_community_platform_daily
    where day between %(start)s and %(end)s
    order by day
"""

ERRORS = """
    select level, category, sum(error_count)::bigint as error_count, sum(resolved_count)::bigint as resolved_count,
           sum(open_count)::bigint as open_count,
           coalesce(sum(error_count) filter (where day = %(end)s), 0)::bigint as error_count_day,
           (array_agg(top_message order by error_count desc, day desc, top_message))[1] as top_message
    from marts.mart_error_logs
    where day between %(start)s and %(end)s
    group by level, category
    order by sum(error_count) desc, level, category
"""

GEO_TREND = """
    select community_id, day, sum(attempts)::bigint as attempts, sum(blocked)::bigint as blocked,
           sum(allowed)::bigint as allowed, sum(traveler_access)::bigint as traveler_access,
           sum(bypasses)::bigint as bypasses
    from marts.mart_geo_restriction
    where day between %(start)s and %(end)s
    group by community_id, day
    order by community_id, day
"""

# Per community and location at three levels; `level` names which columns are set.
GEO_LOCATIONS = """
    select community_id,
           case when grouping(region) = 1 then 'country' when grouping(city) = 1 then 'region' else 'city' end
               as level,
           country, region, city,
           sum(attempts)::bigint as attempts, sum(blocked)::bigint as blocked, sum(allowed)::bigint as allowed,
           sum(traveler_access)::bigint as traveler_access, sum(bypasses)::bigint as bypasses
    from marts.mart_geo_restriction
    where day between %(start)s and %(end)s
    group by grouping sets ((community_id, country), (community_id, country, region),
                            (community_id, country, region, city))
    order by community_id, level, sum(attempts) desc, country, region, city
"""

# Helper B's marts (optional): read only when they exist.
ACTIVITY_HOURS = """
    select community_id, hour_start, day, weekday, hour_of_day, online_members_avg, online_members_peak,
           total_activities, activity_score, activity_level, is_peak_hour
    from marts.mart_community_activity
    where day between %(start)s and %(end)s
    order by community_id, hour_start
"""

RETENTION = """
    select community_id, cohort_week, weeks_since_join, cohort_size, retained_members, rolling_retained_members,
           retention_rate, rolling_retention_rate
    from marts.mart_community_retention
    where cohort_week between %(cohort_start)s and %(end)s
    order by community_id, cohort_week, weeks_since_join
"""


def communities_sql(has_reference: bool) -> str:
    """The communities query, with names when the reference view exists."""
    if not has_reference:
        return COMMUNITIES.format(reference_union="", name="null::text", reference_join="")
    return COMMUNITIES.format(
        reference_union=f"union select community_id from {REFERENCE}", name="reference.community_name",
        reference_join=f"left join {REFERENCE} as reference on reference.community_id = known.community_id")
