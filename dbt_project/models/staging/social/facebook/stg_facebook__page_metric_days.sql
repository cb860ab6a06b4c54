-- Page metrics per day: the latest fetch of each (day, metric) — the 2-day lookback re-reads late
-- data — pivoted to one row per Page and day. Graph stamps a day with the next midnight, Pacific
-- time. Removed metrics kept in raw under their source names feed their successors' columns.
with

latest as (
    {{ latest_raw_records('facebook', 'facebook_page_insights') }}
),

metric_values as (
    select
        account_id,
        ((payload ->> 'end_time')::timestamptz at time zone 'America/Los_Angeles')::date - 1 as metric_date,
        payload ->> 'name' as metric_name,
        (payload ->> 'value')::bigint as metric_value,
        fetched_at
    from latest
    where jsonb_typeof(payload -> 'value') = 'number'
),

final as (
    select
        account_id,
        metric_date,
        account_id || '|' || metric_date::text as page_day_key,
        coalesce(
            max(metric_value) filter (where metric_name = 'page_media_view'),
            max(metric_value) filter (where metric_name = 'page_impressions')
        ) as media_views,
        coalesce(
            max(metric_value) filter (where metric_name = 'page_total_media_view_unique'),
            max(metric_value) filter (where metric_name = 'page_impressions_unique')
        ) as media_viewers,
        max(metric_value) filter (where metric_name = 'page_post_engagements') as post_engagements,
        max(metric_value) filter (where metric_name = 'page_video_views') as video_views,
        max(metric_value) filter (where metric_name = 'page_views_total') as page_views,
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
        ) as follows_lost,
        max(fetched_at) as fetched_at
    from metric_values
    group by 1, 2
)

select * from final
