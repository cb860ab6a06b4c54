-- Latest version of each post (edits re-land a post; the newest fetch wins).
with

latest as (
    {{ latest_raw_records('linkedin', 'linkedin_posts') }}
),

final as (
    select
        raw_id,
        account_id,
        payload ->> 'id' as post_id,
        split_part(payload ->> 'id', ':', 3) as post_kind,
        case
            when payload -> 'content' ? 'multiImage' or payload -> 'content' ? 'carousel' then 'carousel'
            when payload -> 'content' ? 'article' then 'link'
            when payload -> 'content' -> 'media' ->> 'id' like 'urn:li:video:%' then 'video'
            when payload -> 'content' -> 'media' ->> 'id' like 'urn:li:document:%' then 'carousel'
            when payload -> 'content' -> 'media' ->> 'id' like 'urn:li:image:%' then 'image'
            else 'text'
        end as format,
        payload ->> 'commentary' as commentary,
        coalesce(payload -> 'content' -> 'article' ->> 'title', payload -> 'content' -> 'media' ->> 'title')
            as title,
        payload -> 'content' -> 'article' ->> 'source' as link_url,
        to_timestamp((payload ->> 'createdAt')::bigint / 1000.0) as created_at,
        to_timestamp((payload ->> 'publishedAt')::bigint / 1000.0) as published_at,
        to_timestamp((payload ->> 'lastModifiedAt')::bigint / 1000.0) as last_modified_at,
        payload ->> 'lifecycleState' as lifecycle_state,
        payload ->> 'visibility' as visibility,
        'https://www.linkedin.com/feed/update/' || (payload ->> 'id') || '/' as permalink,
        fetched_at
    from latest
)

select * from final
