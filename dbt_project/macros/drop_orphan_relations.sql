{#
    Views left behind by renamed or removed staging/intermediate models (dbt never drops what it
    no longer builds): dropped at the end of every run or build, so a warehouse upgraded across a
    rename does not keep serving stale relations. Only dbt's own `stg_` / `int_` relations in the
    staging schema are considered; temporary relations of a running build are left alone.
#}
{% macro drop_orphan_relations() %}
    {% if execute and flags.WHICH in ('run', 'build') %}
        {% set schema = generate_schema_name('staging', none) %}
        {% set known = [] %}
        {% for node in graph.nodes.values() if node.resource_type in ('model', 'seed', 'snapshot') %}
            {% do known.append((node.alias or node.name) | lower) %}
        {% endfor %}
        {% set query %}
            select table_name, table_type
            from information_schema.tables
            where table_schema = '{{ schema }}'
                and (table_name like 'stg\_%' or table_name like 'int\_%')
                and table_name not like '%\_\_dbt\_tmp' and table_name not like '%\_\_dbt\_backup'
        {% endset %}
        {% for row in run_query(query) if row[0] not in known %}
            {% do run_query('drop ' ~ ('view' if row[1] == 'VIEW' else 'table') ~ ' if exists "'
                ~ schema ~ '"."' ~ row[0] ~ '" cascade') %}
            {{ log('dropped orphan relation ' ~ schema ~ '.' ~ row[0], info=true) }}
        {% endfor %}
    {% endif %}
{% endmacro %}
