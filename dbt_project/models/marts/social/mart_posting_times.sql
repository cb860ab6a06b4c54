{#
    Best posting times per account × weekday × hour (account time zone), from each post's lifetime
    engagement rate. Thin slots are shrunk toward the account mean (shrunk_mean macro, prior
    strength var('posting_times_prior_posts') posts); slots are ranked by the shrunk rate.
#}
{{ config(
    indexes=[
        {'columns': ['posting_time_key'], 'unique': true},
        {'columns': ['account_key', 'slot_rank']},
    ]
) }}

with

performance as (
    select * from {{ ref('mart_content_performance') }}
),

posts as (
    select
        post_key,
        published_weekday_local,
        published_hour_local
    from {{ ref('dim_posts') }}
),

rated as (
    select
        performance.workspace_id,
        performance.account_key,
        performance.platform,
        posts.published_weekday_local as weekday,
        posts.published_hour_local as hour,
        performance.engagement_rate
    from performance
    inner join posts on performance.post_key = posts.post_key
    where performance.engagement_rate is not null
),

account_means as (
    select
        account_key,
        avg(engagement_rate) as account_mean_engagement_rate,
        count(*) as account_posts
    from rated
    group by 1
),

slots as (
    select
        workspace_id,
        account_key,
        platform,
        weekday,
        hour,
        count(*) as posts,
        avg(engagement_rate) as mean_engagement_rate,
        percentile_cont(0.5) within group (order by engagement_rate) as median_engagement_rate
    from rated
    group by 1, 2, 3, 4, 5
),

shrunk as (
    select
        slots.*,
        account_means.account_mean_engagement_rate,
        {{ shrunk_mean(
            'slots.mean_engagement_rate',
            'slots.posts',
            'account_means.account_mean_engagement_rate',
            var('posting_times_prior_posts')
        ) }} as shrunk_engagement_rate
    from slots
    inner join account_means on slots.account_key = account_means.account_key
),

final as (
    select
        account_key || '|' || weekday || '|' || hour as posting_time_key,
        workspace_id,
        account_key,
        platform,
        weekday,
        hour,
        posts,
        posts as sample_size,
        round(mean_engagement_rate, 4) as mean_engagement_rate,
        round(median_engagement_rate::numeric, 4) as median_engagement_rate,
        round(account_mean_engagement_rate, 4) as account_mean_engagement_rate,
        shrunk_engagement_rate,
        {{ pct_change('shrunk_engagement_rate', 'account_mean_engagement_rate') }} as lift_pct,
        posts >= {{ var('posting_times_min_posts') }} as is_confident,
        case
            when posts >= 2 * {{ var('posting_times_min_posts') }} then 'high'
            when posts >= {{ var('posting_times_min_posts') }} then 'medium'
            else 'low'
        end as confidence,
        rank() over (partition by account_key order by shrunk_engagement_rate desc, posts desc) as slot_rank
    from shrunk
)

select * from final
