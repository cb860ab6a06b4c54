{#
    Formats compared per account (Shorts/Reels vs long videos vs images …), all time: views per post,
    engagements per post, engagement rate (Σ engagements ÷ Σ rate base, the platform's base),
    mean post engagement rate, completion and swipe-away rates (Σ ÷ Σ views), mean retention score.
#}
{{ config(
    indexes=[
        {'columns': ['format_key'], 'unique': true},
        {'columns': ['workspace_id', 'platform', 'format']},
    ]
) }}

with

performance as (
    select * from {{ ref('mart_content_performance') }}
),

final as (
    select
        account_key || '|' || format as format_key,
        min(workspace_id) as workspace_id,
        account_key,
        min(platform) as platform,
        format,
        count(*) as posts,
        sum(views) as views,
        round(avg(views), 2) as views_per_post,
        sum(engagements) as engagements,
        round(avg(engagements), 2) as engagements_per_post,
        {{ rate_pct('sum(engagements)', 'sum(rate_base)') }} as engagement_rate,
        round(avg(engagement_rate), 4) as mean_post_engagement_rate,
        {{ rate_pct('sum(completions)', 'sum(views) filter (where completions is not null)') }} as completion_rate,
        {{ rate_pct('sum(swipe_aways)', 'sum(views) filter (where swipe_aways is not null)') }} as swipe_away_rate,
        round(avg(retention_score), 4) as retention_score,
        round(avg(viral_potential), 4) as mean_viral_potential
    from performance
    group by account_key, format
)

select * from final
