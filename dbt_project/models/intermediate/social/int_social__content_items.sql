{{ config(
    materialized='table',
    indexes=[{'columns': ['platform', 'post_id'], 'unique': true}],
    post_hook='analyze {{ this }}',
) }}

-- Which cross-platform content item each post belongs to (docs/metrics.md#content-items):
--   1. the mapping file (seed content_item_links) wins;
--   2. else posts of one workspace with the same normalised title, published on at least two
--      platforms, each within var('cross_post_match_days') of the previous one, form one item;
--   3. else the post is an item of its own.
with

posts as (
    select * from {{ ref('int_social__posts') }}
),

accounts as (
    select * from {{ ref('stg_ops__workspace_accounts') }}
),

links as (
    select * from {{ ref('content_item_links') }}
),

titled as (
    select
        posts.platform,
        posts.post_id,
        posts.published_at,
        accounts.workspace_id,
        {{ normalized_title("coalesce(nullif(posts.title, ''), split_part(posts.caption, chr(10), 1))") }} as title_key
    from posts
    inner join accounts
        on posts.platform = accounts.platform
        and posts.account_id = accounts.account_id
),

unlinked as (
    select titled.*
    from titled
    left join links
        on titled.platform = links.platform
        and titled.post_id = links.post_id
    where links.post_id is null
        and titled.title_key is not null
),

gaps as (
    select
        *,
        coalesce(
            published_at - lag(published_at) over by_title > interval '{{ var("cross_post_match_days") }} days',
            true
        ) as starts_group
    from unlinked
    window by_title as (partition by workspace_id, title_key order by published_at, platform, post_id)
),

grouped as (
    select
        *,
        sum(starts_group::int) over (
            partition by workspace_id, title_key order by published_at, platform, post_id
        ) as group_number
    from gaps
),

-- Materialized: the planner underestimates the posts (1 row instead of thousands) and would
-- re-run these window functions once per post in the final join (13 s instead of 1 s).
matched as materialized (
    select
        platform,
        post_id,
        'auto:' || md5(workspace_id || '|' || title_key || '|' || group_number) as content_item_id,
        min(platform) over by_group <> max(platform) over by_group as is_cross_platform
    from grouped
    window by_group as (partition by workspace_id, title_key, group_number)
),

final as (
    select
        titled.platform,
        titled.post_id,
        titled.platform || ':' || titled.post_id as post_key,
        coalesce(
            links.content_item_id,
            case when matched.is_cross_platform then matched.content_item_id end,
            'post:' || titled.platform || ':' || titled.post_id
        ) as content_item_id,
        case
            when links.content_item_id is not null then 'mapping'
            when matched.is_cross_platform then 'title_match'
            else 'single'
        end as link_method
    from titled
    left join links
        on titled.platform = links.platform
        and titled.post_id = links.post_id
    left join matched
        on titled.platform = matched.platform
        and titled.post_id = matched.post_id
)

select * from final
