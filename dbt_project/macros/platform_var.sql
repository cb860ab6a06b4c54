{#
    A per-platform value from a var that maps platform → value (Tidemark passes them from the
    platform registry, e.g. var('settle_days')), as a SQL expression over a platform column.
#}
{% macro platform_var(name, platform_column, default) -%}
    case ({{ platform_column }})
        {%- for platform, value in var(name, {}).items() %}
        when '{{ platform }}' then {{ value }}
        {%- endfor %}
        else {{ default }}
    end
{%- endmacro %}
