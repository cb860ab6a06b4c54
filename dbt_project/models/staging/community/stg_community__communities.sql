-- One row per community (raw keeps the latest fetch per community_id)
-- with its geo rules as text arrays (an empty allowed list = every country
-- unless blocked).
with

source as (
    select * from {{ source('community', 'community_reference') }}
),

final as (
    select
        community_id,
        payload ->> 'name' as community_name,
        (payload ->> 'created_at')::timestamptz as created_at,
        array(select jsonb_array_elements_text(coalesce(payload -> 'geo_rules' -> 'allowed_countries', '[]')))
            as allowed_countries,
        array(select jsonb_array_elements_text(coalesce(payload -> 'geo_rules' -> 'blocked_countries', '[]')))
            as blocked_countries,
        array(select jsonb_array_elements_text(coalesce(payload -> 'geo_rules' -> 'blocked_regions', '[]')))
            as blocked_regions,
        array(select jsonb_array_elements_text(coalesce(payload -> 'geo_rules' -> 'blocked_cities', '[]')))
            as blocked_cities,
        fetched_at
    from source
)

select
    *,
    cardinality(allowed_countries) + cardinality(blocked_countries) + cardinality(blocked_regions)
    + cardinality(blocked_cities) > 0 as has_geo_rules
from final
