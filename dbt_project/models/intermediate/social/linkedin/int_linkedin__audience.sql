-- LinkedIn follower demographics (lifetime facets): counts of followers by country, seniority,
-- industry, function and staff count range. Country geo URNs are mapped to ISO codes where known.
with

facets as (
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
