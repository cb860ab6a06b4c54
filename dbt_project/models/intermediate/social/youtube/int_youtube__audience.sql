-- YouTube viewer demographics of the last 28 days: age × gender shares (%) and country views.
with

demographics as (
    select * from {{ ref('stg_youtube__demographic_reports') }}
),

age_gender as (
    select
        'youtube'::text as platform,
        account_id,
        snapshot_date,
        'viewers'::text as audience,
        'age_gender'::text as dimension,
        age_group || '|' || gender as dimension_value,
        viewer_percentage as value,
        'percent'::text as value_kind
    from demographics
    where dimension = 'ageGroup,gender'
),

country as (
    select
        'youtube'::text as platform,
        account_id,
        snapshot_date,
        'viewers'::text as audience,
        'country'::text as dimension,
        country as dimension_value,
        views::numeric as value,
        'count'::text as value_kind
    from demographics
    where dimension = 'country'
),

final as (
    select * from age_gender
    union all
    select * from country
)

select * from final
