{# Every non-NULL value lies in [min_value, max_value]. Either bound may be omitted: it becomes NULL,
   and a comparison with NULL is never true. #}
{% test value_between(model, column_name, min_value=none, max_value=none) %}
select {{ column_name }}
from {{ model }}
where
    {{ column_name }} < {{ min_value if min_value is not none else 'null' }}
    or {{ column_name }} > {{ max_value if max_value is not none else 'null' }}
{% endtest %}
