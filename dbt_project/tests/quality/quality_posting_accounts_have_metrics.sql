{{ config(severity='warn', tags=['quality']) }}
{#- Coverage (warning, the report marks the account partial): an account that published in the
    last 7 days before its last sync must have some metrics for those days — account activity or
    post days. Otherwise a report of the week would show its posts with nothing to say about
    them (the failure this check was written for: five platforms at 0 views in a week they
    published 32 posts). The report's coverage section names such accounts; the run goes on. -#}
with

coverage as (
    select * from {{ ref('mart_data_coverage') }}
),

recent_posts as (
    select
        posts.account_key,
        count(*) as posts_published,
        min(posts.published_at)::date as first_published
    from {{ ref('dim_posts') }} as posts
    inner join coverage on posts.account_key = coverage.account_key
    where posts.published_at::date between coverage.last_synced_at::date - 7 and coverage.last_synced_at::date
    group by 1
),

measured as (
    select
        recent_posts.account_key,
        recent_posts.posts_published,
        count(accounts.activity_source) as days_with_activity,
        (
            select count(*)
            from {{ ref('fct_post_metrics_daily') }} as post_days
            where post_days.account_key = recent_posts.account_key
                and post_days.metric_date >= recent_posts.first_published
        ) as post_days
    from recent_posts
    left join {{ ref('fct_account_metrics_daily') }} as accounts
        on recent_posts.account_key = accounts.account_key
        and recent_posts.first_published <= accounts.metric_date
    group by recent_posts.account_key, recent_posts.posts_published, recent_posts.first_published
)

select *
from measured
where days_with_activity = 0 and post_days = 0
