{#
    Meta Graph insights envelopes (`data: [{name, values: [{value}]}]`) as one JSON object per raw
    row, `{metric name: lifetime value}`, so a model reads `m ->> 'post_clicks'`.
#}
{% macro graph_lifetime_values(relation) -%}
    select
        {{ relation }}.raw_id,
        jsonb_object_agg(entry ->> 'name', entry -> 'values' -> 0 -> 'value') as m
    from {{ relation }}
    cross join lateral jsonb_array_elements({{ relation }}.payload -> 'data') as entry
    group by 1
{%- endmacro %}
