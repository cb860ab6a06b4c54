-- Member x community: the first join (community_activity join) ever seen. Kept as state, not recomputed
-- from raw: the raw cleanup deletes old join events, while new_users and total_users of
-- mart_community_daily still need to know who joined before. A join on a rebuilt day replaces the stored
-- one only when earlier; loaded_at moves only then (what changed, for models reading this one).
{{ config(**community_incremental(
    unique_key=['community_id', 'user_id'],
    indexes=[{'columns': ['community_id', 'user_id']}, {'columns': ['community_id', 'join_day']}],
)) }}

with

joins as (
    select
        community_id,
        user_id,
        min(event_at) as first_join_at,
        max(loaded_at) as loaded_at
    from {{ ref('stg_community__events') }}
    where
        is_known_event
        and event_name = 'community_activity'
        and activity_type = 'join'
        and user_id is not null
        and community_id is not null
        and {{ community_rebuild_filter('event_at') }}
    group by 1, 2
),

merged as (
    {% if is_incremental() %}
    select
        joins.community_id,
        joins.user_id,
        least(joins.first_join_at, existing.first_join_at) as first_join_at,
        case
            when existing.first_join_at is null or joins.first_join_at < existing.first_join_at then joins.loaded_at
            else existing.loaded_at
        end as loaded_at
    from joins
    left join {{ this }} as existing
        on joins.community_id = existing.community_id and joins.user_id = existing.user_id
    {% else %}
    select * from joins
    {% endif %}
)

select
    community_id,
    user_id,
    first_join_at,
    (first_join_at at time zone 'UTC')::date as join_day,
    loaded_at
from merged
