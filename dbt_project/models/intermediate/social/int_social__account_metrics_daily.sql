{#
    Account × day of every platform, activity from the best source there is:
      - 'account_report': the platform's own account-level daily numbers (YouTube channel days,
        Facebook Page insights, Instagram account insights, TikTok Business daily, LinkedIn share
        statistics) — the truth of what happened on the account that day;
      - 'post_sum': where the platform gives none (X, TikTok without Business API, days outside an
        account report), the sum of the posts' daily values: only posts tracked that day count, so
        a day before tracking began has no activity (NULL, unknown), never 0;
      - NULL: no activity known for the day (followers may still be known).
    Reach is not summed over posts (people are counted once per post, not per account).
#}
{%- set summed = ['views', 'impressions', 'likes', 'comments', 'shares', 'saves', 'watch_time_minutes'] %}

with

accounts as (
    {{ union_platforms('account_metrics_daily') }}
),

post_days as (
    select
        platform,
        account_id,
        metric_date,
        {% for metric in summed %}
        sum({{ metric }}) as {{ metric }},
        {% endfor %}
        bool_or(is_estimated) as is_estimated
    from {{ ref('int_social__post_metrics_daily') }}
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
