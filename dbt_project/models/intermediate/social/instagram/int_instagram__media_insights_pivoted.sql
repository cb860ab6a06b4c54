-- Every lifetime-insights snapshot of a media, one column per metric (NULL when the API gave no
-- number: metric not supported for the media type, or not enough viewers — never 0).
-- Watch times arrive in milliseconds and are converted here.
with

snapshots as (
    select * from {{ ref('stg_instagram__media_insights') }}
),

items as (
    select
        snapshots.raw_id,
        item ->> 'name' as metric,
        (item -> 'values' -> 0 ->> 'value')::numeric as value
    from snapshots
    cross join lateral jsonb_array_elements(coalesce(snapshots.insights, '[]'::jsonb)) as item
),

pivoted as (
    select
        raw_id,
        max(value) filter (where metric = 'views')::bigint as views,
        max(value) filter (where metric = 'reach')::bigint as reach,
        max(value) filter (where metric = 'likes')::bigint as likes,
        max(value) filter (where metric = 'comments')::bigint as comments,
        max(value) filter (where metric = 'saved')::bigint as saves,
        max(value) filter (where metric = 'shares')::bigint as shares,
        max(value) filter (where metric = 'total_interactions')::bigint as total_interactions,
        max(value) filter (where metric = 'profile_visits')::bigint as profile_visits,
        max(value) filter (where metric = 'follows')::bigint as follows,
        max(value) filter (where metric = 'replies')::bigint as replies,
        max(value) filter (where metric = 'navigation')::bigint as navigation,
        max(value) filter (where metric = 'ig_reels_avg_watch_time') / 1000.0 as avg_watch_time_s,
        max(value) filter (where metric = 'ig_reels_video_view_total_time') / 60000.0 as watch_time_minutes,
        max(value) filter (where metric = 'reels_skip_rate') as skip_rate_pct
    from items
    group by 1
),

final as (
    select
        snapshots.raw_id,
        snapshots.account_id,
        snapshots.media_id,
        snapshots.media_product_type,
        snapshots.unavailable_reason,
        pivoted.views,
        pivoted.reach,
        pivoted.likes,
        pivoted.comments,
        pivoted.saves,
        pivoted.shares,
        pivoted.total_interactions,
        pivoted.profile_visits,
        pivoted.follows,
        pivoted.replies,
        pivoted.navigation,
        pivoted.avg_watch_time_s,
        pivoted.watch_time_minutes,
        pivoted.skip_rate_pct,
        snapshots.fetched_at
    from snapshots
    left join pivoted on snapshots.raw_id = pivoted.raw_id
)

select * from final
