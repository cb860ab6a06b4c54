-- Latest version of each (account, date) row: the connector re-reads a lookback window because
-- the youngest days are still incomplete, so a newer fetch replaces an older one.
with

latest as (
    {{ latest_raw_records('tiktok', 'tiktok_business_daily') }}
),

final as (
    select
        raw_id,
        account_id || '|' || (payload ->> 'date') as account_day_id,
        account_id,
        (payload ->> 'date')::date as metric_date,
        (payload ->> 'video_views')::bigint as video_views,
        (payload ->> 'profile_views')::bigint as profile_views,
        (payload ->> 'likes')::bigint as likes,
        (payload ->> 'comments')::bigint as comments,
        (payload ->> 'shares')::bigint as shares,
        (payload ->> 'daily_new_followers')::bigint as followers_gained,
        (payload ->> 'daily_lost_followers')::bigint as followers_lost,
        (payload ->> 'daily_total_followers')::bigint as followers,
        fetched_at
    from latest
)

select * from final
