-- One row per event, typed. Raw holds one row per message_id (first delivery wins; the unique test
-- on message_id guards it). day = UTC date of event_at (the
-- client's clock with its offset: a skewed clock moves the event, a late delivery does not).
with

source as (
    select * from {{ source('community', 'community_events') }} as events
    -- events a blocking GX rule holds (expectations/community) stay out until released
    where not exists (
            select 1
            from {{ source('ops', 'quarantine') }} as held
            where
                held.raw_table = 'community_events'
                and held.check_name = 'gx_community_events'
                and held.record_key = events.message_id
                and held.released_at is null
        )
),

final as (
    select
        message_id,
        type as event_type,
        event as event_name,
        user_id,
        anonymous_id,
        coalesce(user_id, anonymous_id) as actor_id,
        event_at,
        sent_at,
        received_at,
        (event_at at time zone 'UTC')::date as day,
        case when type in ('track', 'page') then properties ->> 'community_id' end as community_id,
        coalesce(
            type in ('page', 'identify')
            or (
                type = 'track'
                and event in ('{{ var("community_events") | join("', '") }}')  -- noqa: LT05
            ),
            false
        ) as is_known_event,
        case when event = 'community_activity' then properties ->> 'activity_type' end as activity_type,
        case when type = 'page' then properties ->> 'path' end as page_path,
        case when event = 'geo_access_attempt' then properties ->> 'access_result' end as access_result,
        case when event = 'geo_access_attempt' then (properties ->> 'is_traveler')::boolean end as is_traveler,
        case when event = 'geo_access_attempt' then (properties ->> 'is_bypass')::boolean end as is_bypass,
        case when event = 'geo_access_attempt' then properties -> 'location' ->> 'country' end as geo_country,
        case when event = 'geo_access_attempt' then properties -> 'location' ->> 'region' end as geo_region,
        case when event = 'geo_access_attempt' then properties -> 'location' ->> 'city' end as geo_city,
        case when event = 'api_request' then properties ->> 'method' end as api_method,
        case when event = 'api_request' then properties ->> 'path' end as api_path,
        case when event = 'api_request' then (properties ->> 'status')::int end as api_status,
        case when event = 'api_request' then (properties ->> 'response_time_ms')::numeric end as response_time_ms,
        case when event = 'system_metric' then properties ->> 'metric_type' end as metric_type,
        case when event = 'system_metric' then (properties ->> 'value')::numeric end as metric_value,
        case when event in ('error_log', 'error_resolved') then properties ->> 'error_id' end as error_id,
        case when event = 'error_log' then properties ->> 'level' end as error_level,
        case when event = 'error_log' then properties ->> 'category' end as error_category,
        case
            when event in ('follow', 'unfollow') then properties ->> 'target_user_id'
            when event = 'community_activity' then properties -> 'metadata' ->> 'target_user_id'
        end as target_user_id,
        case when event in ('recommendation_shown', 'recommendation_clicked') then properties ->> 'item_id' end
            as item_id,
        case when type = 'identify' then traits ->> 'registration_country' end as registration_country,
        case when type = 'identify' then traits ->> 'registration_city' end as registration_city,
        case when type = 'identify' then (traits ->> 'joined_at')::timestamptz end as registered_at,
        context -> 'location' ->> 'country' as country,
        context -> 'location' ->> 'region' as region,
        context -> 'location' ->> 'city' as city,
        context ->> 'timezone' as timezone,
        context ->> 'session_id' as client_session_id,
        context -> 'user_agent' ->> 'device_class' as device_class,
        context -> 'user_agent' ->> 'browser_family' as browser_family,
        context ->> 'ip' as ip_hash,
        properties,
        traits,
        source_file,
        source_line,
        run_id,
        loaded_at
    from source
)

select * from final
