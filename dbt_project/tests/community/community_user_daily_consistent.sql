-- Member x day invariants: online time is whole sample points within one day, blocked attempts are a subset
-- of attempts, the average session duration is known exactly when there are sessions, and the location
-- count matches the list.
select
    user_id,
    day
from {{ ref('mart_community_user_daily') }}
where
    community_online_time_s % 300 <> 0
    or community_online_time_s not between 0 and 86400
    or geo_restricted_attempts > geo_access_attempts
    or (avg_session_duration_s is null) <> (sessions = 0)
    or locations_count <> jsonb_array_length(locations_accessed_from)
