-- One row per video: its latest Display API snapshot, enriched with the latest Business API
-- insights when the account has them. Format: TikTok videos up to 180 s are shorts.
with

snapshots as (
    select * from {{ ref('stg_tiktok__video_snapshots') }}
),

insights as (
    select * from {{ ref('stg_tiktok__business_video_snapshots') }}
),

latest as (
    select distinct on (account_id, video_id) *
    from snapshots
    order by account_id, video_id, fetched_at desc, raw_id desc
),

latest_insights as (
    select distinct on (account_id, video_id) *
    from insights
    order by account_id, video_id, fetched_at desc, raw_id desc
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
        'tiktok'::text as platform,
        latest.account_id,
        latest.video_id as post_id,
        case when latest.duration_s <= 180 then 'short' else 'video' end as format,
        latest.published_at,
        latest.title,
        latest.description as caption,
        latest.duration_s,
        latest.share_url as permalink,
        latest.view_count as lifetime_views,
        latest_insights.reach as lifetime_reach,
        null::bigint as lifetime_impressions,
        latest.like_count as lifetime_likes,
        latest.comment_count as lifetime_comments,
        coalesce(latest.share_count, latest_insights.shares) as lifetime_shares,
        latest_insights.favorites as lifetime_saves,
        null::bigint as lifetime_clicks,
        round(latest_insights.total_time_watched_s / 60, 2) as lifetime_watch_time_minutes,
        latest_insights.average_time_watched_s as lifetime_avg_view_duration_s,
        latest_insights.completions as lifetime_completions,
        null::bigint as lifetime_swipe_aways,
        latest.fetched_at as snapshot_at,
        first_seen.first_snapshot_at
    from latest
    left join latest_insights
        on latest.account_id = latest_insights.account_id
        and latest.video_id = latest_insights.video_id
    left join first_seen
        on latest.account_id = first_seen.account_id
        and latest.video_id = first_seen.video_id
)

select * from final
