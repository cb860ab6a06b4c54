{#
    Account × day of every platform, activity from the best source there is:
      - 'account_report': the platform's own account-level daily numbers (YouTube channel days,
        Facebook Page insights, Instagram account insights, TikTok Business daily, LinkedIn share
        statistics) — the truth of what happened on the account that day;
      - 'post_sum': for an account whose platform gives none (X, TikTok without Business API), the
        sum of its posts' daily values, from the day after tracking began (the first day's morning
        is in the posts' baselines): a day before has no activity (NULL, unknown), never 0. An
        account with an account-level report never falls back to post sums (days it has not
        reported yet are unknown, not estimated from its posts);
      - NULL: no activity known for the day (followers may still be known).
    Reach is not summed over posts (people are counted once per post, not per account).
#}
{%- set summed = ['views', 'impressions', 'likes', 'comments', 'shares', 'saves', 'watch_time_minutes'] %}

with

accounts as (
    {{ union_platforms('account_metrics_daily') }}
),

reporting_accounts as (
    -- accounts whose platform reports their daily activity
    select distinct
        platform,
        account_id
    from accounts
    where coalesce(views, impressions, likes, comments, shares, reported_engagements) is not null
),

tracking as (
    select
        platform,
        account_id,
        min(first_snapshot_at)::date as first_sync_date
    from {{ ref('int_social__posts') }}
    group by 1, 2
),

post_days as (
    select
        post_daily.platform,
        post_daily.account_id,
        post_daily.metric_date,
        {% for metric in summed %}
        sum(post_daily.{{ metric }}) as {{ metric }},
        {% endfor %}
        bool_or(post_daily.is_estimated) as is_estimated
    from {{ ref('int_social__post_metrics_daily') }} as post_daily
    inner join tracking
        on post_daily.platform = tracking.platform
        and post_daily.account_id = tracking.account_id
    left join reporting_accounts
        on post_daily.platform = reporting_accounts.platform
        and post_daily.account_id = reporting_accounts.account_id
    where reporting_accounts.account_id is null and post_daily.metric_date > tracking.first_sync_date
    group by 1, 2, 3
),

joined as (
    select
        coalesce(accounts.platform, post_days.platform) as platform,
        coalesce(accounts.account_id, post_days.account_id) as account_id,
        coalesce(accounts.metric_date, post_days.metric_date) as metric_date,
        coalesce(
            accounts.views, accounts.impressions, accounts.likes, accounts.comments, accounts.shares,
            accounts.reported_engagements
        ) is not null as has_account_activity,
        post_days.platform is not null as has_post_activity,
        {% for metric in summed %}
        accounts.{{ metric }} as account_{{ metric }},
        post_days.{{ metric }} as post_{{ metric }},
        {% endfor %}
        accounts.followers,
        accounts.following,
        accounts.profile_views,
        accounts.website_clicks,
        accounts.reach,
        accounts.followers_gained,
        accounts.followers_lost,
        accounts.reported_engagements,
        accounts.followers_source,
        post_days.is_estimated as post_is_estimated
    from accounts
    full outer join post_days
        on accounts.platform = post_days.platform
        and accounts.account_id = post_days.account_id
        and accounts.metric_date = post_days.metric_date
),

final as (
    select
        platform,
        account_id,
        metric_date,
        followers,
        following,
        profile_views,
        website_clicks,
        reach,
        {% for metric in summed %}
        case when has_account_activity then account_{{ metric }} else post_{{ metric }} end as {{ metric }},
        {% endfor %}
        followers_gained,
        followers_lost,
        case when has_account_activity then reported_engagements end as reported_engagements,
        followers_source,
        case
            when has_account_activity then 'account_report'
            when has_post_activity then 'post_sum'
        end as activity_source,
        coalesce(not has_account_activity and post_is_estimated, false) as is_estimated
    from joined
)

select * from final
