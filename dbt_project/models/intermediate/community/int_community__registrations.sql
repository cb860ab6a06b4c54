-- One row per member: the earliest registration time (identify traits.joined_at) ever seen. Kept as
-- state, not recomputed from raw: the raw cleanup deletes old identify events, while total_users and
-- new_registrations of mart_community_platform_daily still count those members. loaded_at moves only when
-- the registration is new or earlier (a member identifying again changes nothing downstream).
{{ config(**community_incremental(
    unique_key=['user_id'], indexes=[{'columns': ['user_id']}, {'columns': ['registration_day']}],
)) }}

with

identified as (
    select
        user_id,
        min(registered_at) as registered_at,
        max(loaded_at) as loaded_at
    from {{ ref('stg_community__events') }}
    where
        is_known_event
        and event_type = 'identify'
        and user_id is not null
        and registered_at is not null
        and {{ community_rebuild_filter('event_at') }}
    group by 1
),

merged as (
    {% if is_incremental() %}
    select
        identified.user_id,
        least(identified.registered_at, existing.registered_at) as registered_at,
        case
            when existing.registered_at is null or identified.registered_at < existing.registered_at
                then identified.loaded_at
            else existing.loaded_at
        end as loaded_at
    from identified
    left join {{ this }} as existing on identified.user_id = existing.user_id
    {% else %}
    select * from identified
    {% endif %}
)

select
    user_id,
    registered_at,
    (registered_at at time zone 'UTC')::date as registration_day,
    loaded_at
from merged
