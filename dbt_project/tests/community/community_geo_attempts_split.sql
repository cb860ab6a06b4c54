-- Every geo access attempt is either blocked or allowed: blocked + allowed = attempts in both marts,
-- and the per-location mart sums to the community x day mart.
with

daily as (
    select
        community_id,
        day,
        geo_access_attempts,
        geo_blocked,
        geo_allowed
    from {{ ref('mart_community_daily') }}
),

by_location as (
    select
        community_id,
        day,
        sum(attempts) as attempts,
        sum(blocked) as blocked,
        sum(allowed) as allowed
    from {{ ref('mart_geo_restriction') }}
    group by 1, 2
)

select
    coalesce(daily.community_id, by_location.community_id) as community_id,
    coalesce(daily.day, by_location.day) as day
from daily
full outer join by_location
    on daily.community_id = by_location.community_id and daily.day = by_location.day
where
    coalesce(daily.geo_access_attempts, 0) <> coalesce(by_location.attempts, 0)
    or coalesce(daily.geo_blocked, 0) <> coalesce(by_location.blocked, 0)
    or coalesce(daily.geo_allowed, 0) <> coalesce(by_location.allowed, 0)
    or daily.geo_blocked + daily.geo_allowed <> daily.geo_access_attempts
