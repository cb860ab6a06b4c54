{#
    One row per post: lifetime metrics, every post-level rate and score (docs/metrics.md).
    Lifetime counters are the platform's own lifetime numbers (int_social__posts). Windows are
    relative to as_of_date: trend = last 14 days (halves of 7), view growth = last 7 vs previous 7
    days, performance_score = rank among the account's posts published in the trailing 90 days.
#}
{{ config(
    post_hook='analyze {{ this }}',
    indexes=[
        {'columns': ['post_key'], 'unique': true},
        {'columns': ['account_key', 'published_at']},
        {'columns': ['workspace_id', 'platform', 'format']},
    ]
) }}

with

posts as (
    select * from {{ ref('dim_posts') }}
),

lifetime as (
    select * from {{ ref('int_social__posts') }}
),

as_of as (
    -- the max of an indexed column: an index lookup, not a scan
    select {{ as_of_date(ref('fct_post_metrics_daily')) }} as as_of_date
),

recent_daily as (
    -- only the trend window is read: cost follows the window, not the history
    select
        post_daily.*,
        (select as_of.as_of_date from as_of) - post_daily.metric_date as days_ago
    from {{ ref('fct_post_metrics_daily') }} as post_daily
    where
        post_daily.metric_date
        between (select as_of.as_of_date from as_of) - 13 and (select as_of.as_of_date from as_of)
),

account_daily as not materialized (
    -- inlined into each lateral lookup below, so they use the (account_key, metric_date) index
    select * from {{ ref('fct_account_metrics_daily') }}
),

retention_scores as (
    select * from {{ ref('int_social__post_retention') }}
),

windows as (
    -- Trend window: the last 14 days, clipped to the publish date; first half = the earlier
    -- floor(n / 2) days. Days without a row count as 0.
    select
        posts.post_key,
        least(14, greatest(1, as_of.as_of_date - posts.published_at::date + 1)) as window_days
    from posts
    cross join as_of
),

window_sums as (
    select
        windows.post_key,
        windows.window_days,
        sum(recent_daily.views) filter (where recent_daily.days_ago < 7) as views_last_7d,
        sum(recent_daily.views) filter (where recent_daily.days_ago >= 7) as views_prev_7d,
        coalesce(sum(recent_daily.views) filter (
            where recent_daily.days_ago >= windows.window_days - windows.window_days / 2
        ), 0) as first_half_views,
        coalesce(sum(recent_daily.views) filter (
            where recent_daily.days_ago < windows.window_days - windows.window_days / 2
        ), 0) as second_half_views,
        coalesce(sum(recent_daily.engagements) filter (
            where recent_daily.days_ago >= windows.window_days - windows.window_days / 2
        ), 0) as first_half_engagements,
        coalesce(sum(recent_daily.engagements) filter (
            where recent_daily.days_ago < windows.window_days - windows.window_days / 2
        ), 0) as second_half_engagements,
        (array_agg(recent_daily.cumulative_views order by recent_daily.metric_date))[1] as first_cumulative_views,
        (array_agg(recent_daily.cumulative_views order by recent_daily.metric_date desc))[1] as last_cumulative_views
    from windows
    left join recent_daily
        on windows.post_key = recent_daily.post_key
        and windows.window_days > recent_daily.days_ago
    group by 1, 2
),

followers_at_publish as (
    select
        posts.post_key,
        on_publish.followers
    from posts
    left join lateral (
        select account_daily.followers
        from account_daily
        where account_daily.account_key = posts.account_key
            and account_daily.metric_date <= posts.published_at::date
            and account_daily.followers is not null
        order by account_daily.metric_date desc
        limit 1
    ) as on_publish on true
),

metrics as (
    select
        posts.post_key,
        posts.account_key,
        posts.workspace_id,
        posts.platform,
        posts.account_id,
        posts.post_id,
        posts.format,
        posts.published_at,
        posts.published_date_local,
        posts.cross_post_group,
        as_of.as_of_date,
        as_of.as_of_date - posts.published_at::date as age_days,
        lifetime.lifetime_views as views,
        lifetime.lifetime_reach as reach,
        lifetime.lifetime_impressions as impressions,
        lifetime.lifetime_likes as likes,
        lifetime.lifetime_comments as comments,
        lifetime.lifetime_shares as shares,
        lifetime.lifetime_saves as saves,
        lifetime.lifetime_clicks as clicks,
        lifetime.lifetime_watch_time_minutes as watch_time_minutes,
        lifetime.lifetime_avg_view_duration_s as avg_view_duration_s,
        lifetime.lifetime_completions as completions,
        lifetime.lifetime_swipe_aways as swipe_aways,
        {{ engagements(
            'lifetime.lifetime_likes', 'lifetime.lifetime_comments', 'lifetime.lifetime_shares', 'lifetime.lifetime_saves'
        ) }} as engagements,
        coalesce(lifetime.lifetime_views, lifetime.lifetime_impressions) as rate_base,
        followers_at_publish.followers as followers_at_publish,
        retention_scores.retention_score,
        window_sums.window_days,
        window_sums.views_last_7d,
        window_sums.views_prev_7d,
        window_sums.first_half_views::numeric / nullif(window_sums.window_days / 2, 0) as first_half_mean_views,
        window_sums.second_half_views::numeric
        / (window_sums.window_days - window_sums.window_days / 2) as second_half_mean_views,
        window_sums.first_half_engagements::numeric
        / nullif(window_sums.window_days / 2, 0) as first_half_mean_engagements,
        window_sums.second_half_engagements::numeric
        / (window_sums.window_days - window_sums.window_days / 2) as second_half_mean_engagements,
        window_sums.first_cumulative_views,
        window_sums.last_cumulative_views
    from posts
    cross join as_of
    inner join lifetime
        on posts.platform = lifetime.platform
        and posts.post_id = lifetime.post_id
    left join followers_at_publish on posts.post_key = followers_at_publish.post_key
    left join retention_scores
        on posts.platform = retention_scores.platform
        and posts.post_id = retention_scores.post_id
        and posts.format = 'long_video'
    left join window_sums on posts.post_key = window_sums.post_key
),

rates as (
    select
        metrics.*,
        {{ rate_pct('engagements', 'rate_base') }} as engagement_rate,
        {{ rate_pct('engagements', 'reach') }} as engagement_rate_by_reach,
        {{ rate_pct('engagements', 'followers_at_publish') }} as engagement_rate_by_followers,
        {{ rate_pct('shares', 'rate_base') }} as share_rate,
        {{ rate_pct('saves', 'rate_base') }} as save_rate,
        {{ rate_pct('completions', 'views') }} as completion_rate,
        {{ rate_pct('swipe_aways', 'views') }} as swipe_away_rate,
        {{ view_growth_points('views_last_7d', 'views_prev_7d') }} as view_growth_points,
        case
            when metrics.window_days >= 2
                then {{ trend_direction('metrics.first_half_mean_views', 'metrics.second_half_mean_views') }}
            else 'stable'
        end as views_trend,
        case
            when metrics.window_days >= 2
                then {{ trend_direction(
                    'metrics.first_half_mean_engagements', 'metrics.second_half_mean_engagements'
                ) }}
            else 'stable'
        end as engagement_trend,
        {{ pct_change('last_cumulative_views', 'first_cumulative_views') }} as growth_rate
    from metrics
),

ranked as (
    select
        rates.post_key,
        round((percent_rank() over by_account * 100)::numeric, 4) as percentile,
        count(*) over (partition by rates.account_key) as peers
    from rates
    where rates.engagement_rate is not null
        and rates.published_at::date > rates.as_of_date - 90
        and rates.published_at::date <= rates.as_of_date
    window by_account as (partition by rates.account_key order by rates.engagement_rate)
),

final as (
    select
        rates.post_key,
        rates.account_key,
        rates.workspace_id,
        rates.platform,
        rates.account_id,
        rates.post_id,
        rates.format,
        rates.published_at,
        rates.published_date_local,
        rates.cross_post_group,
        rates.as_of_date,
        rates.age_days,
        rates.views,
        rates.reach,
        rates.impressions,
        rates.likes,
        rates.comments,
        rates.shares,
        rates.saves,
        rates.clicks,
        rates.engagements,
        rates.watch_time_minutes,
        rates.avg_view_duration_s,
        rates.completions,
        rates.swipe_aways,
        rates.followers_at_publish,
        rates.engagement_rate,
        rates.engagement_rate_by_reach,
        rates.engagement_rate_by_followers,
        rates.share_rate,
        rates.save_rate,
        rates.completion_rate,
        rates.swipe_away_rate,
        rates.retention_score,
        rates.views_last_7d,
        rates.views_prev_7d,
        rates.view_growth_points,
        {{ viral_potential(
            'rates.engagement_rate', 'rates.share_rate', 'rates.save_rate', 'rates.view_growth_points'
        ) }} as viral_potential,
        case when ranked.peers >= 2 then ranked.percentile end as performance_score,
        rates.views_trend,
        rates.engagement_trend,
        rates.growth_rate
    from rates
    left join ranked on rates.post_key = ranked.post_key
)

select * from final
