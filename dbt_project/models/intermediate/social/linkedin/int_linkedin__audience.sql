-- LinkedIn follower demographics (lifetime facets): counts of followers by country, seniority,
-- industry, function and staff count range. Country geo URNs are mapped to ISO codes where known.
with

snapshots as (
    select * from {{ ref('stg_linkedin__follower_facet_snapshots') }}
),

geo_countries as (
    select *
    from (
        values
        ('urn:li:geo:103644278', 'US'), ('urn:li:geo:101165590', 'GB'), ('urn:li:geo:101282230', 'DE'),
        ('urn:li:geo:102713980', 'IN'), ('urn:li:geo:106057199', 'BR'), ('urn:li:geo:101355337', 'JP'),
        ('urn:li:geo:101174742', 'CA'), ('urn:li:geo:101452733', 'AU'), ('urn:li:geo:105015875', 'FR'),
        ('urn:li:geo:103323778', 'MX'), ('urn:li:geo:105646813', 'ES'), ('urn:li:geo:102890719', 'NL')
    ) as geo (geo_urn, country_code)
),

facet_lists as (
    select
        snapshots.account_id,
        snapshots.snapshot_date,
        facet_list.dimension,
        facet_list.value_key,
        facet_list.items
    from snapshots
    cross join lateral (
        values
        ('country', 'geo', snapshots.followers_by_country),
        ('seniority', 'seniority', snapshots.followers_by_seniority),
        ('industry', 'industry', snapshots.followers_by_industry),
        ('function', 'function', snapshots.followers_by_function),
        ('staff_count', 'staffCountRange', snapshots.followers_by_staff_count_range)
    ) as facet_list (dimension, value_key, items)
),

facets as (
    select
        facet_lists.account_id,
        facet_lists.snapshot_date,
        facet_lists.dimension,
        item ->> facet_lists.value_key as facet_value,
        (item -> 'followerCounts' ->> 'organicFollowerCount')::bigint as organic_follower_count,
        (item -> 'followerCounts' ->> 'paidFollowerCount')::bigint as paid_follower_count
    from facet_lists
    cross join lateral jsonb_array_elements(coalesce(facet_lists.items, '[]'::jsonb)) as item
),

final as (
    select
        'linkedin'::text as platform,
        facets.account_id,
        facets.snapshot_date,
        'followers'::text as audience,
        facets.dimension,
        case
            when facets.dimension = 'country' then coalesce(geo_countries.country_code, facets.facet_value)
            else facets.facet_value
        end as dimension_value,
        (coalesce(facets.organic_follower_count, 0) + coalesce(facets.paid_follower_count, 0))::numeric as value,
        'count'::text as value_kind
    from facets
    left join geo_countries on facets.facet_value = geo_countries.geo_urn
)

select * from final
