-- A new member joined that day, so they were active in the community that day; the running member
-- total never falls below the day's new members.
select
    community_id,
    day,
    new_users,
    active_users,
    total_users
from {{ ref('mart_community_daily') }}
where new_users > active_users or total_users < new_users
