-- Community x day x location (country, region, city) of geo access attempts (seed 004 geo-restriction
-- analytics). effectiveness_pct = blocked ÷ attempts × 100, rounded to 1 decimal (NULL without attempts).
-- Incremental by day (macros/community/rebuild_days.sql): a day's rows depend on that day's attempts only.
{{ config(**community_incremental(indexes=[{'columns': ['day']}, {'columns': ['community_id', 'day']}])) }}

with

attempts as (
    select * from {{ ref('int_community__geo_attempts') }}
    where {{ community_rebuild_filter('event_at') }}
),

final as (
    select
        community_id,
        day,
        country,
        region,
        city,
        count(*) as attempts,
        count(*) filter (where access_result = 'blocked') as blocked,
        count(*) filter (where access_result = 'allowed') as allowed,
        round({{ rate_pct("count(*) filter (where access_result = 'blocked')", 'count(*)') }}, 1)
            as effectiveness_pct,
        count(*) filter (where is_traveler) as traveler_access,
        count(*) filter (where is_bypass) as bypasses
    from attempts
    group by 1, 2, 3, 4, 5
)

select * from final
