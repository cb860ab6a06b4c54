{{ config(
    post_hook='analyze {{ this }}',
    indexes=[
        {'columns': ['account_key'], 'unique': true},
        {'columns': ['workspace_id', 'platform']},
    ]
) }}

with

accounts as (
    select * from {{ ref('stg_ops__workspace_accounts') }}
),

posts as (
    select * from {{ ref('int_social__posts') }}
),

post_counts as (
    select
        platform,
        account_id,
        count(*) as posts_count,
        min(published_at) as first_post_at
    from posts
    group by 1, 2
),

final as (
    select
        accounts.account_key,
        accounts.workspace_id,
        accounts.platform,
        accounts.account_id,
        accounts.account_name,
        accounts.timezone,
        accounts.is_simulated,
        coalesce(post_counts.posts_count, 0) as posts_count,
        post_counts.first_post_at
    from accounts
    left join post_counts
        on accounts.platform = post_counts.platform
        and accounts.account_id = post_counts.account_id
)

select * from final
