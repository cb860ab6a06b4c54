{{ config(
    indexes=[
        {'columns': ['post_key'], 'unique': true},
        {'columns': ['platform', 'account_id']},
        {'columns': ['published_date_local']},
    ]
) }}

with

posts as (
    select * from {{ ref('int_social__posts') }}
),

accounts as (
    select * from {{ ref('dim_accounts') }}
),

final as (
    select
        posts.platform || ':' || posts.post_id as post_key,
        accounts.account_key,
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
        posts.snapshot_at as last_snapshot_at
    from posts
    inner join accounts
        on posts.platform = accounts.platform
        and posts.account_id = accounts.account_id
)

select * from final
