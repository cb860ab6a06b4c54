{#
    `columns` together are the model's primary key: no part is NULL and no combination occurs twice
    (unique + not_null for a composite key, in one query). Fails with each offending key and the
    number of rows carrying it.
#}
{% test primary_key(model, columns) %}
select
    {% for column in columns -%}
    {{ column }},
    {% endfor -%}
    count(*) as rows_with_key
from {{ model }}
group by {{ columns | join(', ') }}
having
    count(*) > 1
    {% for column in columns -%}
    or {{ column }} is null
    {% endfor -%}
{% endtest %}
