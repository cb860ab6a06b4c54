-- Every lifetime snapshot of a video metric; `metric` is Tidemark's name, `source_type` the registered
-- API name and `requested_type` what was asked (they differ when a deprecated name was mapped).
with

source as (
    select * from {{ source('linkedin', 'linkedin_video_stats') }}
    where {{ not_quarantined('linkedin_video_stats') }}
),

final as (
    select
        raw_id,
        account_id,
        payload ->> 'post_urn' as post_id,
        payload ->> 'metric' as metric,
        payload ->> 'source_type' as source_type,
        payload ->> 'type' as requested_type,
        (payload ->> 'value')::bigint as value,
        fetched_at
    from source
)

select * from final
