{{ config(
    post_hook='analyze {{ this }}',
    indexes=[
        {'columns': ['post_key'], 'unique': true},
        {'columns': ['platform', 'account_id']},
        {'columns': ['published_date_local']},
        {'columns': ['workspace_id', 'platform', 'format']},
        {'columns': ['cross_post_group']},
    ]
) }}

with

posts as (
    select * from {{ ref('int_social__posts') }}
),

accounts as (
    select * from {{ ref('dim_accounts') }}
),

content_items as (
    select * from {{ ref('int_social__content_items') }}
),

baselines as (
    select * from {{ ref('int_social__post_baselines') }}
),

final as (
    select
        posts.platform || ':' || posts.post_id as post_key,
        accounts.account_key,
        accounts.workspace_id,
        posts.platform,
        posts.account_id,
        posts.post_id,
        posts.format,
        posts.published_at,
        (posts.published_at at time zone accounts.timezone) as published_at_local,
        (posts.published_at at time zone accounts.timezone)::date as published_date_local,
        extract(isodow from posts.published_at at time zone accounts.timezone)::int as published_weekday_local,
        extract(hour from posts.published_at at time zone accounts.timezone)::int as published_hour_local,
        posts.title,
        posts.caption,
        {{ hashtags("coalesce(posts.title, '') || ' ' || coalesce(posts.caption, '')") }} as hashtags,
        posts.duration_s,
        posts.permalink,
        content_items.content_item_id as cross_post_group,
        content_items.link_method as cross_post_link_method,
        posts.snapshot_at as last_snapshot_at,
        baselines.first_snapshot_at,
        baselines.tracked_since,
        baselines.is_tracked_from_publish,
        baselines.baseline_views,
        baselines.baseline_reach,
        baselines.baseline_impressions,
        baselines.baseline_likes,
        baselines.baseline_comments,
        baselines.baseline_shares,
        baselines.baseline_saves,
        baselines.baseline_clicks
    from posts
    inner join accounts
        on posts.platform = accounts.platform
        and posts.account_id = accounts.account_id
    left join content_items
        on posts.platform = content_items.platform
        and posts.post_id = content_items.post_id
    left join baselines
        on posts.platform = baselines.platform
        and posts.account_id = baselines.account_id
        and posts.post_id = baselines.post_id
)

select * from final
