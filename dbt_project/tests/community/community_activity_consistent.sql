-- Community x hour invariants: the average online count never exceeds the peak, total_activities is
-- the sum of the non-heartbeat types, and a community has at most 3 peak slots in a local week.
with

hours as (
    select * from {{ ref('mart_community_activity') }}
),

too_many_peaks as (
    select
        community_id,
        min(hour_start) as hour_start
    from hours
    where is_peak_hour
    group by community_id, date_trunc('week', day)
    having count(distinct weekday * 100 + hour_of_day) > 3
)

select
    community_id,
    hour_start
from hours
where
    online_members_avg > online_members_peak
    or total_activities <> views + joins + leaves + posts + comments + likes + shares
union all
select
    community_id,
    hour_start
from too_many_peaks
