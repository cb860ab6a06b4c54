-- Every landed snapshot of every post (the input of the snapshot-delta daily metrics).
-- Impressions: public_metrics.impression_count, else the deprecated owner-only copies of it.
with

source as (
    select * from {{ source('x', 'x_posts') }}
    where {{ not_quarantined('x_posts') }}
),

final as (
    select
        raw_id,
        account_id,
        payload ->> 'id' as post_id,
        (payload ->> 'created_at')::timestamptz as published_at,
        payload ->> 'text' as post_text,
        payload -> 'attachments' -> 'media_keys' ->> 0 as media_key,
        coalesce(jsonb_array_length(payload -> 'entities' -> 'urls'), 0) > 0 as has_link,
        coalesce(
            (payload -> 'public_metrics' ->> 'impression_count')::bigint,
            (payload -> 'non_public_metrics' ->> 'impression_count')::bigint,
            (payload -> 'organic_metrics' ->> 'impression_count')::bigint
        ) as impressions,
        (payload -> 'public_metrics' ->> 'like_count')::bigint as likes,
        (payload -> 'public_metrics' ->> 'reply_count')::bigint as replies,
        (payload -> 'public_metrics' ->> 'retweet_count')::bigint as retweets,
        (payload -> 'public_metrics' ->> 'quote_count')::bigint as quotes,
        (payload -> 'public_metrics' ->> 'bookmark_count')::bigint as bookmarks,
        coalesce(
            (payload -> 'non_public_metrics' ->> 'url_link_clicks')::bigint,
            (payload -> 'organic_metrics' ->> 'url_link_clicks')::bigint
        ) as url_link_clicks,
        coalesce(
            (payload -> 'non_public_metrics' ->> 'user_profile_clicks')::bigint,
            (payload -> 'organic_metrics' ->> 'user_profile_clicks')::bigint
        ) as user_profile_clicks,
        fetched_at
    from source
)

select * from final
