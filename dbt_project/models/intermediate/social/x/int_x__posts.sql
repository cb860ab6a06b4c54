-- One row per X post: its latest snapshot, the format from its media (else link/text).
-- X's "Views" are impression_count, so views and impressions carry the same number;
-- shares = reposts + quotes (both redistribute the post). Owner-only clicks are the largest value
-- of any snapshot: older posts are re-read with public metrics only, so their last known clicks stay.
with

snapshots as (
    select * from {{ ref('stg_x__post_snapshots') }}
),

media as (
    select * from {{ ref('stg_x__media') }}
),

latest as (
    select distinct on (account_id, post_id) *
    from snapshots
    order by account_id, post_id, fetched_at desc, raw_id desc
),

owner_only as (
    select
        account_id,
        post_id,
        max(url_link_clicks) as url_link_clicks
    from snapshots
    group by 1, 2
),

first_seen as (
    -- when tracking of the post began (its first snapshot): the marts' baseline is its lifetime then
    select
        account_id,
        post_id,
        min(fetched_at) as first_snapshot_at
    from snapshots
    group by 1, 2
),

final as (
    select
        'x'::text as platform,
        latest.account_id,
        latest.post_id,
        case
            when media.media_type in ('video', 'animated_gif') then 'video'
            when media.media_type = 'photo' then 'image'
            when latest.has_link then 'link'
            else 'text'
        end as format,
        latest.published_at,
        null::text as title,
        latest.post_text as caption,
        (media.duration_ms / 1000)::bigint as duration_s,
        'https://x.com/i/status/' || latest.post_id as permalink,
        latest.impressions as lifetime_views,
        null::bigint as lifetime_reach,
        latest.impressions as lifetime_impressions,
        latest.likes as lifetime_likes,
        latest.replies as lifetime_comments,
        latest.retweets + latest.quotes as lifetime_shares,
        latest.bookmarks as lifetime_saves,
        owner_only.url_link_clicks as lifetime_clicks,
        null::numeric as lifetime_watch_time_minutes,
        null::numeric as lifetime_avg_view_duration_s,
        null::bigint as lifetime_completions,
        null::bigint as lifetime_swipe_aways,
        latest.fetched_at as snapshot_at,
        first_seen.first_snapshot_at
    from latest
    left join owner_only
        on latest.account_id = owner_only.account_id
        and latest.post_id = owner_only.post_id
    left join media
        on latest.account_id = media.account_id
        and latest.media_key = media.media_key
    left join first_seen
        on latest.account_id = first_seen.account_id
        and latest.post_id = first_seen.post_id
)

select * from final
