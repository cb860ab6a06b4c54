{#
    The one place where a rate is computed: numerator / denominator * 100, in percent.
    A rate whose denominator is 0 or unknown is NULL (not 0): "no data" must not read as "0 %".
#}
{% macro rate_pct(numerator, denominator) -%}
    case
        when ({{ denominator }}) is null or ({{ denominator }}) = 0 then null
        else round((({{ numerator }})::numeric / ({{ denominator }})) * 100, 4)
    end
{%- endmacro %}

{#
    Engagements: likes/reactions + comments/replies + shares/retweets/reposts/quotes + saves/bookmarks.
    Each platform's staging maps its own counters onto these four canonical columns (see docs/metrics.md);
    a counter the platform does not report is NULL and counts as 0 here, unless all four are NULL.
#}
{% macro engagements(likes, comments, shares, saves) -%}
    case
        when ({{ likes }}) is null and ({{ comments }}) is null and ({{ shares }}) is null and ({{ saves }}) is null
            then null
        else coalesce({{ likes }}, 0) + coalesce({{ comments }}, 0) + coalesce({{ shares }}, 0) + coalesce({{ saves }}, 0)
    end
{%- endmacro %}
