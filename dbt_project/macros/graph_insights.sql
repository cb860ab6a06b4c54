{#
    Meta Graph insights envelopes (`data: [{name, values: [{value}]}]`, in `insights_column`) as one
    JSON object per raw row, `{metric name: lifetime value}`, so a model reads `m ->> 'post_clicks'`.
    Rows whose envelope has no entries get no object.
#}
{% macro graph_lifetime_values(relation, insights_column='insights') -%}
    select
        {{ relation }}.raw_id,
        jsonb_object_agg(entry ->> 'name', entry -> 'values' -> 0 -> 'value') as m
    from {{ relation }}
    cross join lateral jsonb_array_elements({{ relation }}.{{ insights_column }}) as entry
    group by 1
{%- endmacro %}
