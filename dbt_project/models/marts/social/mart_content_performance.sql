{#
    One row per post: lifetime metrics, every post-level rate and score (docs/metrics.md).
    Lifetime counters are the platform's own lifetime numbers (int_social__posts). Windows end on
    the post's account's complete_through (as_of_date: only complete days count) and cover tracked
    days only (tracked_from: the publish date where the platform reports every day, or where the
    post was published after tracking began; else the day after its first snapshot):
    trend = the last 14 complete tracked days (halves), growth = cumulative views over the same
    window, view growth = last 7 vs previous 7 days; each is NULL with trend_note saying why when
    the tracked series is too short. performance_score = rank among the account's posts published
    in the 90 days up to data_as_of (the day of the account's last sync: lifetime values are as of
    then).
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

coverage as (
    select * from {{ ref('int_social__account_coverage') }}
),

as_of as (
    -- each account's last complete day; var('as_of_date') caps it (reproducing an earlier view)
    select
        posts.post_key,
        {% if var('as_of_date', none) -%}
        least(coverage.complete_through, '{{ var("as_of_date") }}'::date)
        {%- else -%}
        coverage.complete_through
        {%- endif %} as as_of_date,
        {% if var('as_of_date', none) -%}
        least(coverage.last_synced_at::date, '{{ var("as_of_date") }}'::date)
        {%- else -%}
        coverage.last_synced_at::date
        {%- endif %} as data_as_of,
        case
            when coverage.post_metrics_source = 'daily_report' or posts.is_tracked_from_publish
                then posts.published_at::date
            else posts.first_snapshot_at::date + 1
        end as tracked_from
    from posts
    left join coverage
        on posts.platform = coverage.platform
        and posts.account_id = coverage.account_id
),

recent_daily as (
    -- only the trend window is read: cost follows the window, not the history
    select
        as_of.as_of_date - post_daily.metric_date as days_ago,
        post_daily.*
    from {{ ref('fct_post_metrics_daily') }} as post_daily
    inner join as_of on post_daily.post_key = as_of.post_key
    where post_daily.metric_date between as_of.as_of_date - 13 and as_of.as_of_date
),

account_daily as not materialized (
    -- inlined into each lateral lookup below, so they use the (account_key, metric_date) index
    select * from {{ ref('fct_account_metrics_daily') }}
),

retention_scores as (
    select * from {{ ref('int_social__post_retention') }}
),

windows as (
    -- Trend window: the last 14 complete days, clipped to the tracked days; first half = the earlier
    -- floor(n / 2) days. Days without a row count as 0 (nothing happened, or the post did not exist).
    select
        as_of.post_key,
        as_of.as_of_date,
        as_of.data_as_of,
        as_of.tracked_from,
        least(14, greatest(0, as_of.as_of_date - greatest(as_of.tracked_from, as_of.as_of_date - 13) + 1))
            as window_days,
        -- both 7-day windows of view growth are known: tracked through them, or the post is younger
        -- and was tracked from its publication (the days before it are true zeros)
        as_of.tracked_from <= as_of.as_of_date - 13 or as_of.tracked_from = posts.published_at::date
            as has_two_weeks
    from as_of
    inner join posts on as_of.post_key = posts.post_key
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
        windows.as_of_date,
        windows.data_as_of,
        windows.data_as_of - posts.published_at::date as age_days,
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
        {{ engagements('lifetime.lifetime_likes', 'lifetime.lifetime_comments', 'lifetime.lifetime_shares') }}
            as engagements,
        {{ rate_base('posts.platform', 'lifetime.lifetime_views', 'lifetime.lifetime_impressions') }} as rate_base,
        followers_at_publish.followers as followers_at_publish,
        retention_scores.retention_score,
        window_sums.window_days,
        windows.has_two_weeks,
        case when windows.has_two_weeks then coalesce(window_sums.views_last_7d, 0) end as views_last_7d,
        case when windows.has_two_weeks then coalesce(window_sums.views_prev_7d, 0) end as views_prev_7d,
        window_sums.first_half_views::numeric / nullif(window_sums.window_days / 2, 0) as first_half_mean_views,
        window_sums.second_half_views::numeric
        / nullif(window_sums.window_days - window_sums.window_days / 2, 0) as second_half_mean_views,
        window_sums.first_half_engagements::numeric
        / nullif(window_sums.window_days / 2, 0) as first_half_mean_engagements,
        window_sums.second_half_engagements::numeric
        / nullif(window_sums.window_days - window_sums.window_days / 2, 0) as second_half_mean_engagements,
        window_sums.first_cumulative_views,
        window_sums.last_cumulative_views
    from posts
    inner join windows on posts.post_key = windows.post_key
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
        case
            when metrics.has_two_weeks then {{ view_growth_points('views_last_7d', 'views_prev_7d') }}
        end as view_growth_points,
        case
            when metrics.window_days >= {{ var('trend_min_days') }}
                then {{ trend_direction('metrics.first_half_mean_views', 'metrics.second_half_mean_views') }}
        end as views_trend,
        case
            when metrics.window_days >= {{ var('trend_min_days') }}
                then {{ trend_direction(
                    'metrics.first_half_mean_engagements', 'metrics.second_half_mean_engagements'
                ) }}
        end as engagement_trend,
        case
            when metrics.window_days >= {{ var('trend_min_days') }}
                then {{ pct_change('last_cumulative_views', 'first_cumulative_views') }}
        end as growth_rate,
        case
            when metrics.as_of_date is null then 'account not synced: no complete day yet'
            when metrics.window_days < {{ var('trend_min_days') }}
                then 'tracked for ' || metrics.window_days || ' complete day(s) up to ' || metrics.as_of_date
                    || '; trend and growth need ' || {{ var('trend_min_days') }}
                    || case when not metrics.has_two_weeks then ', view growth 14' else '' end
            when not metrics.has_two_weeks then 'view growth needs 14 tracked days'
        end as trend_note
    from metrics
),

ranked as (
    select
        rates.post_key,
        round((percent_rank() over by_account * 100)::numeric, 4) as percentile,
        count(*) over (partition by rates.account_key) as peers
    from rates
    where rates.engagement_rate is not null
        and rates.published_at::date > rates.data_as_of - 90
        and rates.published_at::date <= rates.data_as_of
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
        rates.data_as_of,
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
        rates.rate_base,
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
        rates.growth_rate,
        rates.trend_note
    from rates
    left join ranked on rates.post_key = ranked.post_key
)

select * from final
