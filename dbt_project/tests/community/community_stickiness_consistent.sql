-- DAU ≤ WAU ≤ MAU, and DAU is mart_community_daily.active_users (one definition of "active"): equal where
-- the daily mart has the day, 0 where it has none.
select
    stickiness.community_id,
    stickiness.day
from {{ ref('mart_community_stickiness') }} as stickiness
left join {{ ref('mart_community_daily') }} as daily
    on stickiness.community_id = daily.community_id and stickiness.day = daily.day
where
    stickiness.dau > stickiness.wau
    or stickiness.wau > stickiness.mau
    or stickiness.dau <> coalesce(daily.active_users, 0)
