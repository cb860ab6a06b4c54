with

source as (
    {{ latest_raw_records('youtube', 'youtube_demographics') }}
),

final as (
    select
        source.account_id,
        source.payload ->> 'dimension' as dimension,
        (source.payload ->> 'end_date')::date as snapshot_date,
        row_data ->> 'ageGroup' as age_group,
        row_data ->> 'gender' as gender,
        row_data ->> 'country' as country,
        (row_data ->> 'viewerPercentage')::numeric as viewer_percentage,
        (row_data ->> 'views')::bigint as views,
        source.fetched_at
    from source
    cross join lateral jsonb_array_elements(source.payload -> 'rows') as row_data
)

select * from final
