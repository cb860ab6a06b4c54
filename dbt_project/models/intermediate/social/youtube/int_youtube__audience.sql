-- YouTube viewer demographics of the last 28 days: age × gender shares (%) and country views, one
-- row per Analytics report row.
with

reports as (
    select * from {{ ref('stg_youtube__demographic_reports') }}
),

report_rows as (
    select
        reports.account_id,
        reports.dimension,
        reports.snapshot_date,
        report_row ->> 'ageGroup' as age_group,
        report_row ->> 'gender' as gender,
        report_row ->> 'country' as country,
        (report_row ->> 'viewerPercentage')::numeric as viewer_percentage,
        (report_row ->> 'views')::bigint as views
    from reports
    cross join lateral jsonb_array_elements(reports.report_rows) as report_row
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
    from report_rows
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
    from report_rows
    where dimension = 'country'
),

final as (
    select * from age_gender
    union all
    select * from country
)

select * from final
