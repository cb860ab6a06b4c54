-- TikTok follower demographics (Business API only; the Display API has none), as percentages.
with

audience as (
    select * from {{ ref('stg_tiktok__business_account_snapshots') }}
),

final as (
    select
        'tiktok'::text as platform,
        account_id,
        snapshot_date,
        'followers'::text as audience,
        dimension,
        dimension_value,
        round(share * 100, 2) as value,
        'percent'::text as value_kind
    from audience
)

select * from final
