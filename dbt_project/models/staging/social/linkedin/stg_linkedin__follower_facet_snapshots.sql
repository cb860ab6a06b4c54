-- Lifetime follower facets, one row per (snapshot day, dimension, value); latest fetch per day.
with

source as (
    {{ latest_raw_records('linkedin', 'linkedin_follower_facets') }}
),

facets as (
    select *
    from (
        values
        ('followerCountsByGeoCountry', 'geo', 'country'),
        ('followerCountsBySeniority', 'seniority', 'seniority'),
        ('followerCountsByIndustry', 'industry', 'industry'),
        ('followerCountsByFunction', 'function', 'function'),
        ('followerCountsByStaffCountRange', 'staffCountRange', 'staff_count')
    ) as facet (list_key, value_key, dimension)
),

final as (
    select
        source.account_id || '|' || (source.payload ->> 'snapshot_date') || '|' || facets.dimension
        || '|' || (item ->> facets.value_key) as facet_key,
        source.account_id,
        (source.payload ->> 'snapshot_date')::date as snapshot_date,
        facets.dimension,
        item ->> facets.value_key as facet_value,
        (item -> 'followerCounts' ->> 'organicFollowerCount')::bigint as organic_follower_count,
        (item -> 'followerCounts' ->> 'paidFollowerCount')::bigint as paid_follower_count,
        source.fetched_at
    from source
    cross join facets
    cross join lateral jsonb_array_elements(coalesce(source.payload -> facets.list_key, '[]'::jsonb)) as item
)

select * from final
