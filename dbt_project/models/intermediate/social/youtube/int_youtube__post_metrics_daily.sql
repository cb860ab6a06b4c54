-- YouTube daily post metrics come from the Analytics day report (the platform's own daily numbers).
-- Swipe-aways of Shorts = views that did not become engaged views (YouTube counts every start as a view).
with

daily as (
    select * from {{ ref('stg_youtube__video_days') }}
),

final as (
    select
        'youtube'::text as platform,
        account_id,
        video_id as post_id,
        metric_date,
        views,
        likes,
        comments,
        shares,
        null::bigint as saves,
        null::bigint as clicks,
        null::bigint as reach,
        null::bigint as impressions,
        watch_time_minutes,
        avg_view_duration_s,
        engaged_views,
        null::bigint as completions,
        case when creator_content_type = 'SHORTS' then greatest(views - engaged_views, 0) end as swipe_aways,
        'daily_report'::text as metric_source,
        false as has_negative_delta,
        false as is_estimated,
        metric_date as source_date
    from daily
)

select * from final
