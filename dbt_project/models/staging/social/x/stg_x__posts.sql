-- The latest snapshot of each post; owner-only counters from the latest snapshot that had them
-- (older posts are re-read with public metrics only, so their last clicks value is kept).
with

snapshots as (
    select * from {{ ref('stg_x__post_snapshots') }}
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
        max(url_link_clicks) as url_link_clicks,
        max(user_profile_clicks) as user_profile_clicks
    from snapshots
    group by 1, 2
),

final as (
    select
        latest.raw_id,
        latest.account_id,
        latest.post_id,
        latest.published_at,
        latest.post_text,
        latest.media_key,
        latest.has_link,
        latest.impressions,
        latest.likes,
        latest.replies,
        latest.retweets,
        latest.quotes,
        latest.bookmarks,
        owner_only.url_link_clicks,
        owner_only.user_profile_clicks,
        'https://x.com/i/status/' || latest.post_id as permalink,
        latest.fetched_at
    from latest
    left join owner_only
        on latest.account_id = owner_only.account_id
        and latest.post_id = owner_only.post_id
)

select * from final
