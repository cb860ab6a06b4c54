{#
    Community activity score (0-10, 1 decimal) and level: the one place their formula and thresholds
    live (docs/metrics.md "Community activity"). Seed 004 shows a score of 8.7 reading "high" but
    states no formula, so: score = 10 × the hour's activities ÷ the community's busiest hour of the
    trailing 28 days (0 when that peak is 0, i.e. no activity in 28 days).
#}
{% macro activity_score(activities, trailing_peak) -%}
    case
        when ({{ trailing_peak }}) = 0 then 0.0
        else round(10.0 * ({{ activities }}) / ({{ trailing_peak }}), 1)
    end
{%- endmacro %}

{#  Levels: high ≥ 7, medium ≥ 4, low > 0, none = 0. #}
{% macro activity_level(score) -%}
    case
        when ({{ score }}) >= 7 then 'high'
        when ({{ score }}) >= 4 then 'medium'
        when ({{ score }}) > 0 then 'low'
        else 'none'
    end
{%- endmacro %}
