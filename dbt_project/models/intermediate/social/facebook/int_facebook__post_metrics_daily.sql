-- Graph has no per-post daily report (post insights are lifetime only): daily values are the
-- differences of successive lifetime snapshots (`snapshot_daily_deltas`, the one place of that
-- formula), from the post counters, the post insights and — for Reels/videos — video_insights.
with

post_counters as (
    select
        account_id,
        post_id,
        fetched_at,
        reactions as likes,
        comments,
        shares
    from {{ ref('stg_facebook__post_snapshots') }}
),

post_insights as (
    select
        account_id,
        post_id,
        fetched_at,
        media_views as views,
        media_viewers as reach,
        clicks
    from {{ ref('int_facebook__post_insights_pivoted') }}
),

video_insights as (
    select
        video_insights.account_id,
        videos.post_id,
        video_insights.fetched_at,
        video_insights.view_time_ms,
        video_insights.complete_views
    from {{ ref('int_facebook__video_insights_pivoted') }} as video_insights
    inner join {{ ref('stg_facebook__videos') }} as videos
        on video_insights.account_id = videos.account_id
        and video_insights.video_id = videos.video_id
    where videos.post_id is not null
),

counter_deltas as (
    {{ snapshot_daily_deltas('post_counters', ['likes', 'comments', 'shares'], ref('int_facebook__posts')) }}
),

insight_deltas as (
    {{ snapshot_daily_deltas('post_insights', ['views', 'reach', 'clicks'], ref('int_facebook__posts')) }}
),

video_deltas as (
    {{ snapshot_daily_deltas('video_insights', ['view_time_ms', 'complete_views'], ref('int_facebook__posts')) }}
),

final as (
    select
        'facebook'::text as platform,
        coalesce(counter_deltas.account_id, insight_deltas.account_id, video_deltas.account_id) as account_id,
        coalesce(counter_deltas.post_id, insight_deltas.post_id, video_deltas.post_id) as post_id,
        coalesce(counter_deltas.metric_date, insight_deltas.metric_date, video_deltas.metric_date) as metric_date,
        insight_deltas.views::bigint as views,
        counter_deltas.likes::bigint as likes,
        counter_deltas.comments::bigint as comments,
        counter_deltas.shares::bigint as shares,
        null::bigint as saves,
        insight_deltas.clicks::bigint as clicks,
        insight_deltas.reach::bigint as reach,
        null::bigint as impressions,
        round(video_deltas.view_time_ms / 60000.0, 2) as watch_time_minutes,
        null::numeric as avg_view_duration_s,
        null::bigint as engaged_views,
        video_deltas.complete_views::bigint as completions,
        null::bigint as swipe_aways,
        'snapshot_diff'::text as metric_source,
        coalesce(counter_deltas.has_negative_delta, false)
        or coalesce(insight_deltas.has_negative_delta, false)
        or coalesce(video_deltas.has_negative_delta, false) as has_negative_delta,
        coalesce(counter_deltas.is_estimated, false)
        or coalesce(insight_deltas.is_estimated, false)
        or coalesce(video_deltas.is_estimated, false) as is_estimated,
        greatest(counter_deltas.source_date, insight_deltas.source_date, video_deltas.source_date) as source_date
    from counter_deltas
    full outer join insight_deltas
        on counter_deltas.account_id = insight_deltas.account_id
        and counter_deltas.post_id = insight_deltas.post_id
        and counter_deltas.metric_date = insight_deltas.metric_date
    full outer join video_deltas
        on coalesce(counter_deltas.account_id, insight_deltas.account_id) = video_deltas.account_id
        and coalesce(counter_deltas.post_id, insight_deltas.post_id) = video_deltas.post_id
        and coalesce(counter_deltas.metric_date, insight_deltas.metric_date) = video_deltas.metric_date
)

select * from final
