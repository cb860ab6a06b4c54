{{ config(severity='error', tags=['quality']) }}
{#- Meaning (blocking): no post-day holds a post's history. A day may not carry more than half of
    the post's lifetime views (or impressions where a platform counts no views) unless the post is
    new — published that day or the two before (launch days hold most of a post's life) — and no
    day before the post's first snapshot day may carry anything once the post was published
    before tracking began (that is its baseline, never a day). Posts below 20 lifetime views are
    left out: one view is a large share of nothing. -#}
with

days as (
    select
        daily.post_key,
        daily.metric_date,
        coalesce(daily.views, daily.impressions) as day_views,
        coalesce(lifetime.lifetime_views, lifetime.lifetime_impressions) as lifetime_views,
        posts.published_at::date as published_date,
        posts.first_snapshot_at::date as first_snapshot_date,
        not posts.is_tracked_from_publish as published_before_tracking
    from {{ ref('fct_post_metrics_daily') }} as daily
    inner join {{ ref('dim_posts') }} as posts on daily.post_key = posts.post_key
    inner join {{ ref('int_social__posts') }} as lifetime
        on posts.platform = lifetime.platform
        and posts.account_id = lifetime.account_id
        and posts.post_id = lifetime.post_id
    where daily.metric_source = 'snapshot_diff'
)

select
    post_key,
    metric_date,
    day_views,
    lifetime_views,
    case
        when published_before_tracking and metric_date < first_snapshot_date then 'day before tracking'
        else 'more than half the lifetime after the launch days'
    end as problem
from days
where (published_before_tracking and metric_date < first_snapshot_date and day_views <> 0)
    or (
        lifetime_views >= 20
        and metric_date > published_date + 2
        and day_views > 0.5 * lifetime_views
    )
