-- X has no per-post daily report: daily values are differences of lifetime snapshots
-- (snapshot_daily_deltas). Owner-only clicks are left out: they stop after 30 days, and a
-- missing snapshot value would read as a drop.
with

deltas as (
    {{ snapshot_daily_deltas(ref('stg_x__post_snapshots'),
                             ['impressions', 'likes', 'replies', 'retweets', 'quotes', 'bookmarks'],
                             ref('int_x__posts')) }}
),

final as (
    select
        'x'::text as platform,
        account_id,
        post_id,
        metric_date,
        impressions as views,
        likes,
        replies as comments,
        retweets + quotes as shares,
        bookmarks as saves,
        null::bigint as clicks,
        null::bigint as reach,
        impressions,
        null::numeric as watch_time_minutes,
        null::numeric as avg_view_duration_s,
        null::bigint as engaged_views,
        null::bigint as completions,
        null::bigint as swipe_aways,
        'snapshot_diff'::text as metric_source,
        has_negative_delta,
        is_estimated,
        source_date
    from deltas
)

select * from final
