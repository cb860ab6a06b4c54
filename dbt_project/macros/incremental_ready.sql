{#
    is_incremental(), and the existing table already has `marker_column` (a column this version of
    the model added). A table built by an older version of the model is then rebuilt from scratch
    (with on_schema_change='append_new_columns') instead of failing on the missing column.
#}
{% macro incremental_ready(marker_column) -%}
    {%- if not is_incremental() -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set existing = adapter.get_columns_in_relation(this) | map(attribute='name') | list -%}
    {{ return(marker_column in existing) }}
{%- endmacro %}
