-- Page metrics from Graph's own daily report (/insights period=day). Meta removed impressions:
-- page_media_view (their successor) is `views`; reach is page_total_media_view_unique.
with

daily as (
    select * from {{ ref('stg_facebook__page_metric_days') }}
),

final as (
    select
        'facebook'::text as platform,
        account_id,
        metric_date,
        follows as followers,
        null::bigint as following,
        page_views as profile_views,
        null::bigint as website_clicks,
        media_viewers as reach,
        null::bigint as impressions,
        media_views as views,
        null::bigint as likes,
        null::bigint as comments,
        null::bigint as shares,
        null::bigint as saves,
        null::numeric as watch_time_minutes,
        follows_gained as followers_gained,
        follows_lost as followers_lost
    from daily
)

select * from final
