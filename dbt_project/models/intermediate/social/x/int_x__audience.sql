-- X API v2 exposes no audience demographics: the canonical model exists, with no rows.
with

final as (
    select
        'x'::text as platform,
        null::text as account_id,
        null::date as snapshot_date,
        null::text as audience,
        null::text as dimension,
        null::text as dimension_value,
        null::numeric as value,
        null::text as value_kind
    where false
)

select * from final
