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
    Engagements = likes + comments + shares (seed 000's calculator and totals, seed 003's dashboard):
    reactions count as likes, replies as comments, retweets + quotes and reposts as shares. Saves,
    clicks and a platform's own "interactions" are not engagements: they keep their own columns and
    rates. A counter the platform does not report is NULL and counts as 0, unless all three are NULL.
#}
{% macro engagements(likes, comments, shares) -%}
    case
        when ({{ likes }}) is null and ({{ comments }}) is null and ({{ shares }}) is null then null
        else coalesce({{ likes }}, 0) + coalesce({{ comments }}, 0) + coalesce({{ shares }}, 0)
    end
{%- endmacro %}

{#
    The denominator of every engagement rate: one base per platform, declared once in the platform's
    registry entry (`PlatformSpec.rate_base`, passed as var('rate_base')) — views, or impressions
    where the platform's views are not its reach measure (LinkedIn: video views exist for videos only).
    `views` / `impressions`: the SQL of those columns in the calling model.
#}
{% macro rate_base(platform, views, impressions) -%}
    {%- set bases = var('rate_base', {}) -%}
    {%- set impression_platforms = [] -%}
    {%- for name, base in (bases.items() if bases is mapping else []) if base == 'impressions' -%}
        {%- do impression_platforms.append(name) -%}
    {%- endfor -%}
    {%- if impression_platforms -%}
    case when ({{ platform }}) in ('{{ impression_platforms | join("', '") }}') then {{ impressions }} else {{ views }} end
    {%- else -%}
    {{ views }}
    {%- endif -%}
{%- endmacro %}
