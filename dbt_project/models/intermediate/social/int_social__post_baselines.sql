{#
    Post × lifetime before tracking. On platforms without per-post daily reports (daily values from
    snapshot differences), a post published before Tidemark began tracking its account already had
    a lifetime at its first snapshot: that is its *baseline*, kept here and never attributed to a
    day. baseline = latest lifetime − Σ tracked daily values, so Σ daily + baseline = lifetime
    always; 0 for a post published after tracking began (its first snapshot is spread from its
    publish date). NULL on daily-report platforms (YouTube reports every day since publication) and
    where the lifetime is unknown.
#}
{%- set metrics = ['views', 'reach', 'impressions', 'likes', 'comments', 'shares', 'saves', 'clicks'] %}

with

posts as (
    select * from {{ ref('int_social__posts') }}
),

daily as (
    select * from {{ ref('int_social__post_metrics_daily') }}
),

tracked as (
    select
        platform,
        account_id,
        post_id,
        {% for metric in metrics %}
        sum({{ metric }}) as tracked_{{ metric }},
        {% endfor %}
        count(*) as tracked_days
    from daily
    group by 1, 2, 3
),

daily_report_platforms as (
    -- platforms whose API reports every post's days (the others' daily values are snapshot differences)
    select distinct platform
    from daily
    where metric_source = 'daily_report'
),

tracking as (
    select
        platform,
        account_id,
        min(first_snapshot_at) as tracked_since
    from posts
    group by 1, 2
),

final as (
    select
        posts.platform,
        posts.account_id,
        posts.post_id,
        tracking.tracked_since,
        posts.first_snapshot_at,
        posts.published_at >= tracking.tracked_since as is_tracked_from_publish,
        {% for metric in metrics %}
        case
            when daily_report_platforms.platform is null
                then posts.lifetime_{{ metric }} - coalesce(tracked.tracked_{{ metric }}, 0)
        end as baseline_{{ metric }},
        {% endfor %}
        coalesce(tracked.tracked_days, 0) as tracked_days
    from posts
    inner join tracking
        on posts.platform = tracking.platform
        and posts.account_id = tracking.account_id
    left join tracked
        on posts.platform = tracked.platform
        and posts.account_id = tracked.account_id
        and posts.post_id = tracked.post_id
    left join daily_report_platforms on posts.platform = daily_report_platforms.platform
)

select * from final
