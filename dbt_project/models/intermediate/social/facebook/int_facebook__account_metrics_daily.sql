-- Page metrics from Graph's own daily report (/insights period=day), pivoted to one row per Page and
-- day. Meta removed impressions: page_media_view (their successor) is `views`; reach is
-- page_total_media_view_unique. Removed metrics kept in raw under their source names feed their
-- successors' columns. Graph reports no daily likes/comments/shares for a Page, only their total:
-- page_post_engagements is `reported_engagements` (docs/metrics.md, Engagements).
with

metric_days as (
    select * from {{ ref('stg_facebook__page_metric_days') }}
),

page_days as (
    select
        account_id,
        metric_date,
        coalesce(
            max(metric_value) filter (where metric_name = 'page_media_view'),
            max(metric_value) filter (where metric_name = 'page_impressions')
        ) as media_views,
        coalesce(
            max(metric_value) filter (where metric_name = 'page_total_media_view_unique'),
            max(metric_value) filter (where metric_name = 'page_impressions_unique')
        ) as media_viewers,
        max(metric_value) filter (where metric_name = 'page_views_total') as page_views,
        max(metric_value) filter (where metric_name = 'page_post_engagements') as post_engagements,
        coalesce(
            max(metric_value) filter (where metric_name = 'page_follows'),
            max(metric_value) filter (where metric_name = 'page_fans')
        ) as follows,
        coalesce(
            max(metric_value) filter (where metric_name = 'page_daily_follows_unique'),
            max(metric_value) filter (where metric_name in ('page_fan_adds_unique', 'page_fan_adds'))
        ) as follows_gained,
        coalesce(
            max(metric_value) filter (where metric_name = 'page_daily_unfollows_unique'),
            max(metric_value) filter (where metric_name in ('page_fan_removes_unique', 'page_fan_removes'))
        ) as follows_lost
    from metric_days
    group by 1, 2
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
        follows_lost as followers_lost,
        post_engagements as reported_engagements,
        case when follows is not null then 'daily_report' end as followers_source
    from page_days
)

select * from final
