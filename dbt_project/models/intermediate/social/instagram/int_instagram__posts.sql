-- One row per media: its latest snapshot joined to its latest insights snapshot.
-- Format from media_product_type (REELS → reel, STORY → story) and media_type for feed posts.
-- Likes/comments prefer insights and fall back to the media object's live counters.
with

media as (
    select * from {{ ref('stg_instagram__media_snapshots') }}
),

insights as (
    select * from {{ ref('int_instagram__media_insights_pivoted') }}
),

latest_media as (
    select distinct on (account_id, media_id) *
    from media
    order by account_id, media_id, fetched_at desc, raw_id desc
),

latest_insights as (
    select distinct on (account_id, media_id) *
    from insights
    where unavailable_reason is null
    order by account_id, media_id, fetched_at desc, raw_id desc
),

first_seen as (
    -- when tracking of the post began (its first snapshot): the marts' baseline is its lifetime then
    select
        account_id,
        media_id,
        min(fetched_at) as first_snapshot_at
    from insights
    group by 1, 2
),

final as (
    select
        'instagram'::text as platform,
        latest_media.account_id,
        latest_media.media_id as post_id,
        case
            when latest_media.media_product_type = 'REELS' then 'reel'
            when latest_media.media_product_type = 'STORY' then 'story'
            when latest_media.media_type = 'CAROUSEL_ALBUM' then 'carousel'
            when latest_media.media_type = 'VIDEO' then 'video'
            else 'image'
        end as format,
        latest_media.published_at,
        null::text as title,
        latest_media.caption,
        null::bigint as duration_s,
        latest_media.permalink,
        latest_insights.views as lifetime_views,
        latest_insights.reach as lifetime_reach,
        null::bigint as lifetime_impressions,
        coalesce(latest_insights.likes, latest_media.like_count) as lifetime_likes,
        coalesce(latest_insights.comments, latest_insights.replies, latest_media.comments_count) as lifetime_comments,
        latest_insights.shares as lifetime_shares,
        latest_insights.saves as lifetime_saves,
        null::bigint as lifetime_clicks,
        latest_insights.watch_time_minutes::numeric as lifetime_watch_time_minutes,
        latest_insights.avg_watch_time_s::numeric as lifetime_avg_view_duration_s,
        null::bigint as lifetime_completions,
        round(latest_insights.views * latest_insights.skip_rate_pct / 100)::bigint as lifetime_swipe_aways,
        greatest(latest_media.fetched_at, latest_insights.fetched_at) as snapshot_at,
        first_seen.first_snapshot_at
    from latest_media
    left join latest_insights
        on latest_media.account_id = latest_insights.account_id
        and latest_media.media_id = latest_insights.media_id
    left join first_seen
        on latest_media.account_id = first_seen.account_id
        and latest_media.media_id = first_seen.media_id
)

select * from final
