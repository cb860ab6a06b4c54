-- One row per geo access attempt (known events only), with the attempt's location.
select
    message_id,
    community_id,
    user_id,
    day,
    event_at,
    coalesce(geo_country, 'unknown') as country,
    coalesce(geo_region, 'unknown') as region,
    coalesce(geo_city, 'unknown') as city,
    access_result,
    coalesce(is_traveler, false) as is_traveler,
    coalesce(is_bypass, false) as is_bypass
from {{ ref('stg_community__events') }}
where is_known_event and event_name = 'geo_access_attempt'
