{#
    Account × how far its numbers can be trusted: since when Tidemark tracks it, where its daily
    activity and followers come from, and the day through which its data is complete.

    complete_through (docs/metrics.md "Completeness"):
      - account-level daily report: the last reported day, but at most the last sync's day minus
        the days the platform's daily numbers keep changing (var('settle_days') = the days every
        sync re-reads, from the platform registry);
      - post sums only (snapshot differences): the day before the last sync (a day is complete once
        a snapshot was taken after it ended); NULL while no day is known yet (one sync so far).
    The last sync is the newest snapshot of the account's posts (data time, not the wall clock).
#}

with

daily as (
    select * from {{ ref('int_social__account_metrics_daily') }}
),

posts as (
    select * from {{ ref('int_social__posts') }}
),

post_daily as (
    select * from {{ ref('int_social__post_metrics_daily') }}
),

syncs as (
    select
        platform,
        account_id,
        min(first_snapshot_at) as tracked_since,
        max(snapshot_at) as last_synced_at,
        -- the last day the platform's daily report no longer changes
        max(snapshot_at)::date - {{ platform_var('settle_days', 'platform', 0) }} as settled_through
    from posts
    group by 1, 2
),

activity as (
    select
        platform,
        account_id,
        min(metric_date) filter (where activity_source is not null) as activity_from,
        max(metric_date) filter (where activity_source = 'account_report') as report_through,
        min(metric_date) filter (where activity_source = 'account_report') as report_from,
        max(metric_date) filter (where activity_source = 'post_sum') as post_sum_through,
        min(metric_date) filter (where followers is not null) as followers_from,
        (array_agg(followers_source order by metric_date desc) filter (where followers_source is not null))[1]
            as followers_source,
        bool_or(is_estimated) as has_estimated_days
    from daily
    group by 1, 2
),

daily_report_platforms as (
    select distinct platform
    from post_daily
    where metric_source = 'daily_report'
),

final as (
    select
        syncs.platform,
        syncs.account_id,
        syncs.tracked_since,
        syncs.last_synced_at,
        case when activity.report_through is not null then 'account_report' else 'post_sum' end as activity_source,
        activity.activity_from,
        activity.report_from,
        activity.followers_source,
        activity.followers_from,
        case when daily_report_platforms.platform is null then 'snapshot_diff' else 'daily_report' end
            as post_metrics_source,
        coalesce(activity.has_estimated_days, false) as has_estimated_days,
        case
            when activity.report_through is not null then least(activity.report_through, syncs.settled_through)
            when activity.activity_from is not null then syncs.last_synced_at::date - 1
        end as complete_through
    from syncs
    left join activity
        on syncs.platform = activity.platform
        and syncs.account_id = activity.account_id
    left join daily_report_platforms on syncs.platform = daily_report_platforms.platform
)

select * from final
