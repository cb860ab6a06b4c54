{#
    Audience shares per account × snapshot date × audience × dimension × value. Shares in percent:
    the platform's own percentage, or count ÷ Σ counts of the same account, date, audience and
    dimension × 100. is_latest marks the newest snapshot of each account × audience × dimension.
#}
{{ config(
    indexes=[
        {'columns': ['demographic_key'], 'unique': true},
        {'columns': ['account_key', 'dimension', 'is_latest']},
    ]
) }}

with

audience as (
    select * from {{ ref('int_social__audience') }}
),

accounts as (
    select
        account_key,
        workspace_id,
        platform,
        account_id
    from {{ ref('dim_accounts') }}
),

shares as (
    select
        accounts.account_key,
        accounts.workspace_id,
        audience.*,
        case
            when audience.value_kind = 'percent' then round(audience.value::numeric, 4)
            else {{ rate_pct('audience.value', 'sum(audience.value) over by_dimension') }}
        end as share_pct
    from audience
    inner join accounts
        on audience.platform = accounts.platform
        and audience.account_id = accounts.account_id
    window by_dimension as (
        partition by
            audience.platform, audience.account_id, audience.snapshot_date, audience.audience, audience.dimension
    )
),

final as (
    select
        account_key || '|' || snapshot_date || '|' || audience || '|' || dimension || '|' || dimension_value
            as demographic_key,
        workspace_id,
        account_key,
        platform,
        account_id,
        snapshot_date,
        audience,
        dimension,
        dimension_value,
        value,
        value_kind,
        share_pct,
        snapshot_date = max(snapshot_date) over (partition by account_key, audience, dimension) as is_latest
    from shares
)

select * from final
