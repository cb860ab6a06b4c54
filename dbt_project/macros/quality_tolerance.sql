{#- Quality gate (issue 5): relative tolerance used by the reconciliation tests in tests/quality/.
    `a` and `b` differ by more than `tolerance` of the larger one (NULLs never differ: a platform
    that does not report one side is not reconciled). -#}
{% macro quality_differs(a, b, tolerance) -%}
    ({{ a }} is not null and {{ b }} is not null
     and abs({{ a }} - {{ b }}) > {{ tolerance }} * greatest(abs({{ a }}), abs({{ b }}), 1))
{%- endmacro %}
