-- The latest viewer-demographics report of each (dimension, window): Analytics rows of the last 28
-- days stay JSON in `report_rows` (int_youtube__audience unnests them).
with

source as (
    {{ latest_raw_records('youtube', 'youtube_demographics') }}
),

final as (
    select
        raw_id,
        account_id,
        payload ->> 'dimension' as dimension,
        (payload ->> 'end_date')::date as snapshot_date,
        payload -> 'rows' as report_rows,
        fetched_at
    from source
)

select * from final
