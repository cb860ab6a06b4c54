-- Account × day: reach from the daily time series, views/likes/comments/shares/saves and
-- follows/unfollows from the daily total_value metrics. Followers: the last user snapshot of a day
-- where there is one; before the latest snapshot they are reconstructed backwards from it with the
-- day's net follows (follows − unfollows, follows_and_unfollows by follow_type) over the unbroken
-- run of days that have them; earlier days stay NULL (unknown, never 0). follower_count (new
-- followers only) fills followers_gained where follows are missing. profile_views and
-- website_clicks were retired by Instagram on 2025-01-08 and stay NULL.
with

series as (
    select * from {{ ref('stg_instagram__account_metric_days') }}
),

totals as (
    select * from {{ ref('int_instagram__account_totals_pivoted') }}
),

users as (
    select * from {{ ref('stg_instagram__user_snapshots') }}
),

series_by_day as (
    select
        account_id,
        metric_date,
        max(value) filter (where metric = 'reach') as reach,
        max(value) filter (where metric = 'follower_count') as new_followers
    from series
    group by 1, 2
),

user_by_day as (
    select distinct on (account_id, fetched_at::date)
        account_id,
        fetched_at::date as metric_date,
        followers_count,
        follows_count
    from users
    order by account_id, fetched_at::date, fetched_at desc, raw_id desc
),

latest_user as (
    select distinct on (account_id)
        account_id,
        metric_date as snapshot_date,
        followers_count
    from user_by_day
    order by account_id, metric_date desc
),

days as (
    select
        account_id,
        metric_date
    from series_by_day
    union
    select
        account_id,
        metric_date
    from totals
    union
    select
        account_id,
        metric_date
    from user_by_day
),

with_net as (
    select
        days.account_id,
        days.metric_date,
        totals.follows - totals.unfollows as net_follows,
        latest_user.snapshot_date,
        latest_user.followers_count as latest_followers
    from days
    left join totals
        on days.account_id = totals.account_id
        and days.metric_date = totals.metric_date
    left join latest_user on days.account_id = latest_user.account_id
),

backwards as (
    -- for a day before the latest snapshot: the net follows of every later day up to the snapshot
    -- day, and how many of those days have them (a day without them ends the reconstruction)
    select
        with_net.*,
        sum(with_net.net_follows) filter (where with_net.metric_date <= with_net.snapshot_date) over later
            as net_after,
        count(with_net.net_follows) filter (where with_net.metric_date <= with_net.snapshot_date) over later
            as known_after
    from with_net
    window later as (
        partition by with_net.account_id order by with_net.metric_date
        rows between 1 following and unbounded following
    )
),

final as (
    select
        'instagram'::text as platform,
        days.account_id,
        days.metric_date,
        coalesce(
            user_by_day.followers_count,
            case
                when backwards.metric_date < backwards.snapshot_date
                    and backwards.known_after = backwards.snapshot_date - backwards.metric_date
                    then backwards.latest_followers - backwards.net_after
            end
        )::bigint as followers,
        user_by_day.follows_count::bigint as following,
        null::bigint as profile_views,
        null::bigint as website_clicks,
        series_by_day.reach::bigint as reach,
        null::bigint as impressions,
        totals.views::bigint as views,
        totals.likes::bigint as likes,
        totals.comments::bigint as comments,
        totals.shares::bigint as shares,
        totals.saves::bigint as saves,
        null::numeric as watch_time_minutes,
        coalesce(totals.follows, series_by_day.new_followers)::bigint as followers_gained,
        totals.unfollows::bigint as followers_lost,
        null::bigint as reported_engagements,
        case
            when user_by_day.followers_count is not null then 'snapshot'
            when backwards.metric_date < backwards.snapshot_date
                and backwards.known_after = backwards.snapshot_date - backwards.metric_date then 'reconstructed'
        end as followers_source
    from days
    left join series_by_day
        on days.account_id = series_by_day.account_id
        and days.metric_date = series_by_day.metric_date
    left join totals
        on days.account_id = totals.account_id
        and days.metric_date = totals.metric_date
    left join user_by_day
        on days.account_id = user_by_day.account_id
        and days.metric_date = user_by_day.metric_date
    left join backwards
        on days.account_id = backwards.account_id
        and days.metric_date = backwards.metric_date
)

select * from final
