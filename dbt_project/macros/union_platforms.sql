{#
    Platform-agnostic intermediate models are the union of one model per platform with the same
    canonical columns (int_<platform>__<suffix>). The list of platforms is the `platforms` var.
#}
{% macro union_platforms(suffix) -%}
    {%- for platform in var('platforms') %}
    select * from {{ ref('int_' ~ platform ~ '__' ~ suffix) }}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{%- endmacro %}
