{#
    Hashtags per workspace × platform × calendar month of publishing (account-local date): posts,
    mean engagement rate of those posts, lift vs the same accounts' average (pct_change of the
    hashtag mean vs the mean of the accounts' all-time averages over the same posts), and trending
    = trend_direction of the hashtag's engagements vs the previous month (±5 %).
#}
{{ config(
    indexes=[
        {'columns': ['hashtag_period_key'], 'unique': true},
        {'columns': ['workspace_id', 'platform', 'period_start_date']},
        {'columns': ['hashtag']},
    ]
) }}

with

performance as (
    select * from {{ ref('mart_content_performance') }}
),

posts as (
    select
        post_key,
        hashtags
    from {{ ref('dim_posts') }}
),

account_averages as (
    select
        account_key,
        avg(engagement_rate) as account_engagement_rate
    from performance
    group by 1
),

tagged as (
    select
        performance.workspace_id,
        performance.platform,
        date_trunc('month', performance.published_date_local)::date as period_start_date,
        hashtag,
        performance.engagement_rate,
        performance.engagements,
        account_averages.account_engagement_rate
    from performance
    inner join posts on performance.post_key = posts.post_key
    inner join account_averages on performance.account_key = account_averages.account_key
    cross join lateral regexp_split_to_table(posts.hashtags, ',') as hashtag
    where posts.hashtags is not null
),

monthly as (
    select
        workspace_id,
        platform,
        hashtag,
        period_start_date,
        count(*) as posts,
        sum(engagements) as engagements,
        round(avg(engagement_rate), 4) as mean_engagement_rate,
        avg(account_engagement_rate) as account_engagement_rate
    from tagged
    group by 1, 2, 3, 4
),

with_previous as (
    select
        monthly.*,
        previous.posts as previous_posts,
        previous.engagements as previous_engagements,
        previous.mean_engagement_rate as previous_mean_engagement_rate
    from monthly
    left join monthly as previous
        on monthly.workspace_id = previous.workspace_id
        and monthly.platform = previous.platform
        and monthly.hashtag = previous.hashtag
        and previous.period_start_date = (monthly.period_start_date - interval '1 month')::date
),

final as (
    select
        workspace_id || '|' || platform || '|' || hashtag || '|' || period_start_date as hashtag_period_key,
        workspace_id,
        platform,
        hashtag,
        'month'::text as period,
        period_start_date,
        posts,
        engagements,
        mean_engagement_rate,
        round(account_engagement_rate, 4) as account_engagement_rate,
        {{ pct_change('mean_engagement_rate', 'account_engagement_rate') }} as lift_pct,
        coalesce(previous_posts, 0) as previous_posts,
        previous_mean_engagement_rate,
        {{ pct_change('engagements', 'previous_engagements') }} as engagements_change_pct,
        {{ trend_direction('coalesce(previous_engagements, 0)', 'engagements') }} as trending
    from with_previous
)

select * from final
