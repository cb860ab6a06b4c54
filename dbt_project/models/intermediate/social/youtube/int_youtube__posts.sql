-- One row per video: its latest snapshot, with the format decided once.
-- Shorts: the Analytics creatorContentType when known, else duration <= 180 s (Shorts may be 3 min).
with

snapshots as (
    select * from {{ ref('stg_youtube__video_snapshots') }}
),

daily as (
    select * from {{ ref('stg_youtube__video_days') }}
),

latest as (
    select distinct on (account_id, video_id) *
    from snapshots
    order by account_id, video_id, fetched_at desc, raw_id desc
),

before_history as (
    select * from {{ ref('stg_youtube__video_totals') }}
),

day_totals as (
    select
        daily.account_id,
        daily.video_id,
        sum(daily.views) as views,
        sum(daily.shares) as shares,
        sum(daily.watch_time_minutes) as watch_time_minutes,
        sum(
            case when daily.creator_content_type = 'SHORTS' then greatest(daily.views - daily.engaged_views, 0) end
        ) as swipe_aways
    from daily
    left join before_history
        on daily.account_id = before_history.account_id
        and daily.video_id = before_history.video_id
    -- day rows before the totals' boundary are in the totals already (history start moved earlier)
    where before_history.history_start is null or daily.metric_date >= before_history.history_start
    group by 1, 2
),

analytics_totals as (
    -- Counters the Data API snapshot lacks: Σ Analytics day rows, plus the totals of the days
    -- before history start for older videos (swipe-aways: Shorts only, known from their day rows).
    select
        coalesce(day_totals.account_id, before_history.account_id) as account_id,
        coalesce(day_totals.video_id, before_history.video_id) as video_id,
        coalesce(day_totals.views, 0) + coalesce(before_history.views, 0) as views,
        coalesce(day_totals.shares, 0) + coalesce(before_history.shares, 0) as shares,
        coalesce(day_totals.watch_time_minutes, 0) + coalesce(before_history.watch_time_minutes, 0)
            as watch_time_minutes,
        day_totals.swipe_aways + greatest(coalesce(before_history.views - before_history.engaged_views, 0), 0)
            as swipe_aways
    from day_totals
    full outer join before_history
        on day_totals.account_id = before_history.account_id
        and day_totals.video_id = before_history.video_id
),

content_type as (
    select
        account_id,
        video_id,
        bool_or(creator_content_type = 'SHORTS') as is_short_reported,
        bool_or(creator_content_type is not null) as has_content_type
    from daily
    group by 1, 2
),

first_seen as (
    -- when tracking of the post began (its first snapshot): the marts' baseline is its lifetime then
    select
        account_id,
        video_id,
        min(fetched_at) as first_snapshot_at
    from snapshots
    group by 1, 2
),

final as (
    select
        'youtube'::text as platform,
        latest.account_id,
        latest.video_id as post_id,
        case
            when content_type.has_content_type and content_type.is_short_reported then 'short'
            when content_type.has_content_type then 'long_video'
            when latest.duration_s <= 180 then 'short'
            else 'long_video'
        end as format,
        latest.published_at,
        latest.title,
        latest.description as caption,
        latest.duration_s,
        latest.permalink,
        latest.view_count as lifetime_views,
        null::bigint as lifetime_reach,
        null::bigint as lifetime_impressions,
        latest.like_count as lifetime_likes,
        latest.comment_count as lifetime_comments,
        analytics_totals.shares as lifetime_shares,
        null::bigint as lifetime_saves,
        null::bigint as lifetime_clicks,
        analytics_totals.watch_time_minutes as lifetime_watch_time_minutes,
        case
            when analytics_totals.views > 0
                then round(analytics_totals.watch_time_minutes * 60 / analytics_totals.views, 2)
        end as lifetime_avg_view_duration_s,
        null::bigint as lifetime_completions,
        analytics_totals.swipe_aways as lifetime_swipe_aways,
        latest.fetched_at as snapshot_at,
        first_seen.first_snapshot_at
    from latest
    left join content_type
        on latest.account_id = content_type.account_id
        and latest.video_id = content_type.video_id
    left join analytics_totals
        on latest.account_id = analytics_totals.account_id
        and latest.video_id = analytics_totals.video_id
    left join first_seen
        on latest.account_id = first_seen.account_id
        and latest.video_id = first_seen.video_id
)

select * from final
