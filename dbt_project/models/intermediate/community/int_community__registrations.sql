-- One row per identified member: the earliest registration time (identify traits.joined_at) ever seen and
-- the registration country of the latest identify. Kept as state, not recomputed from raw: the raw cleanup
-- deletes old identify events, while total_users and new_registrations of mart_community_platform_daily
-- still count those members and mart_community_user_daily still compares their locations with that
-- country. loaded_at moves only when the registration is new or earlier (a member identifying again
-- changes no registration count).
{{ config(**community_incremental(
    unique_key=['user_id'], indexes=[{'columns': ['user_id']}, {'columns': ['registration_day']}],
)) }}

with

identifies as (
    select *
    from {{ ref('stg_community__events') }}
    where
        is_known_event
        and event_type = 'identify'
        and user_id is not null
        and {{ community_rebuild_filter('event_at') }}
),

latest_country as (
    select distinct on (user_id)
        user_id,
        registration_country,
        event_at as country_at
    from identifies
    order by user_id, event_at desc, message_id desc
),

identified as (
    select
        identifies.user_id,
        min(identifies.registered_at) as registered_at,
        max(identifies.loaded_at) as loaded_at,
        min(latest_country.registration_country) as registration_country,
        min(latest_country.country_at) as country_at
    from identifies
    inner join latest_country on identifies.user_id = latest_country.user_id
    group by 1
),

merged as (
    {% if is_incremental() %}
    select
        identified.user_id,
        least(identified.registered_at, existing.registered_at) as registered_at,
        case
            when existing.user_id is null or identified.registered_at < existing.registered_at
                then identified.loaded_at
            else existing.loaded_at
        end as loaded_at,
        case
            when existing.country_at is null or identified.country_at >= existing.country_at
                then identified.registration_country
            else existing.registration_country
        end as registration_country,
        greatest(identified.country_at, existing.country_at) as country_at
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
    loaded_at,
    registration_country,
    country_at
from merged
