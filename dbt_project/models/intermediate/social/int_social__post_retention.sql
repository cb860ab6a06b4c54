-- Retention score per post: mean of the audience retention curve × 100 (docs/metrics.md#shorts-and-reels).
-- Only YouTube reports a curve (audienceWatchRatio per elapsed-time ratio); other platforms add a
-- union branch here when they do.
with

youtube_curve as (
    select * from {{ ref('int_youtube__retention_curves_unnested') }}
),

final as (
    select
        'youtube'::text as platform,
        video_id as post_id,
        round(avg(audience_watch_ratio) * 100, 4) as retention_score,
        count(*) as curve_points
    from youtube_curve
    group by 1, 2
)

select * from final
