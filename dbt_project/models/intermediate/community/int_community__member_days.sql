-- Member x community x day: the rollup retention and stickiness are built from, so they stand alone
-- once raw events are removed. Active = any known event of the member naming the community (page,
-- community_activity, geo_access_attempt, recommendation_*): the same rule as
-- mart_community_daily.active_users. Incremental (macros/community/rebuild_days.sql): it outlives the
-- raw cleanup, which is what lets retention and stickiness be rebuilt whole from it.
{{ config(**community_incremental()) }}

with

events as (
    select
        community_id,
        user_id,
        day,
        event_name,
        activity_type
    from {{ ref('stg_community__events') }}
    where
        is_known_event and community_id is not null and user_id is not null
        and {{ community_rebuild_filter('event_at') }}
),

final as (
    select
        community_id,
        user_id,
        day,
        count(*) as events,
        count(*) filter (where event_name = 'community_activity' and activity_type = 'join') as joins
    from events
    group by 1, 2, 3
)

select * from final
