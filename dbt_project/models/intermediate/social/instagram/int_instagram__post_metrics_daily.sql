-- Instagram has no per-day media report: daily values come from lifetime insights readings
-- (snapshot_daily_deltas). Readings without numbers (not enough viewers) are skipped. Stories
-- have replies instead of comments: they count as comments. Reach deltas are the accounts newly
-- reached that day; averages cannot be differenced, so avg_view_duration_s is derived.
with

insights as (
    select
        account_id,
        media_id as post_id,
        fetched_at,
        views,
        likes,
        coalesce(comments, replies) as comments,
        shares,
        saves,
        reach,
        watch_time_minutes
    from {{ ref('int_instagram__media_insights_pivoted') }}
    where unavailable_reason is null
),

deltas as (
    {{ snapshot_daily_deltas('insights', ['views', 'likes', 'comments', 'shares', 'saves', 'reach',
                                          'watch_time_minutes'], ref('int_instagram__posts'),
                             decimal_metrics=['watch_time_minutes']) }}
),

final as (
    select
        'instagram'::text as platform,
        account_id,
        post_id,
        metric_date,
        views::bigint as views,
        likes::bigint as likes,
        comments::bigint as comments,
        shares::bigint as shares,
        saves::bigint as saves,
        null::bigint as clicks,
        reach::bigint as reach,
        null::bigint as impressions,
        watch_time_minutes::numeric as watch_time_minutes,
        case when views > 0 then round(watch_time_minutes * 60 / views, 2) end::numeric as avg_view_duration_s,
        null::bigint as engaged_views,
        null::bigint as completions,
        null::bigint as swipe_aways,
        'snapshot_diff'::text as metric_source,
        has_negative_delta,
        is_estimated,
        source_date
    from deltas
)

select * from final
