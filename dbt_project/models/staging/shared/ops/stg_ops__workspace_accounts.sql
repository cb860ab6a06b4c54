with

source as (
    select * from {{ source('ops', 'workspace_accounts') }}
),

final as (
    select
        platform || ':' || account_id as account_key,
        workspace_id,
        platform,
        account_id,
        account_name,
        timezone,
        is_simulated,
        updated_at
    from source
)

select * from final
