-- Lifetime follower facets, latest fetch per snapshot day; each facet list stays JSON
-- (int_linkedin__audience unnests them).
with

source as (
    {{ latest_raw_records('linkedin', 'linkedin_follower_facets') }}
),

final as (
    select
        raw_id,
        account_id,
        (payload ->> 'snapshot_date')::date as snapshot_date,
        payload -> 'followerCountsByGeoCountry' as followers_by_country,
        payload -> 'followerCountsBySeniority' as followers_by_seniority,
        payload -> 'followerCountsByIndustry' as followers_by_industry,
        payload -> 'followerCountsByFunction' as followers_by_function,
        payload -> 'followerCountsByStaffCountRange' as followers_by_staff_count_range,
        fetched_at
    from source
)

select * from final
