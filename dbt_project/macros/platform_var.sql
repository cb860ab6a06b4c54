{#
    A per-platform value from a var that maps platform → value (Tidemark passes them from the
    platform registry, e.g. var('settle_days')), as a SQL expression over a platform column.
#}
{% macro platform_var(name, platform_column, default) -%}
    {%- set values = var(name, {}) -%}
    {%- if values is mapping and values -%}
    case ({{ platform_column }})
        {%- for platform, value in values.items() %}
        when '{{ platform }}' then {{ value }}
        {%- endfor %}
        else {{ default }}
    end
    {%- else -%}
    {{ default }}
    {%- endif -%}
{%- endmacro %}
