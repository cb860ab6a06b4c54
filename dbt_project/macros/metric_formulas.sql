{#
    Formulas of the marts, each written once (definitions with examples: docs/metrics.md).
    Every one returns NULL when its inputs are unknown; rates go through rate_pct (NULL on a 0/unknown
    denominator).
#}

{# Change in percent from `previous` to `current`: (current − previous) ÷ previous × 100.
   Also the growth rate ((last − first) ÷ first × 100). NULL when previous is 0 or unknown. #}
{% macro pct_change(current, previous) -%}
    {{ rate_pct('(' ~ current ~ ') - (' ~ previous ~ ')', previous) }}
{%- endmacro %}

{# increasing / decreasing / stable: mean of the second half of a window vs the first half, ±5 %.
   A first half of 0 is 'increasing' when the second half is positive; NULL means are NULL. #}
{% macro trend_direction(first_half_mean, second_half_mean, threshold_pct=5) -%}
    case
        when ({{ first_half_mean }}) is null or ({{ second_half_mean }}) is null then null
        when ({{ first_half_mean }}) = 0 then
            case
                when ({{ second_half_mean }}) > 0 then 'increasing'
                when ({{ second_half_mean }}) < 0 then 'decreasing'
                else 'stable'
            end
        when (({{ second_half_mean }}) - ({{ first_half_mean }}))::numeric / abs({{ first_half_mean }}) * 100
            > {{ threshold_pct }} then 'increasing'
        when (({{ second_half_mean }}) - ({{ first_half_mean }}))::numeric / abs({{ first_half_mean }}) * 100
            < -{{ threshold_pct }} then 'decreasing'
        else 'stable'
    end
{%- endmacro %}

{# The view-growth part of viral potential (0–10 points): views of the last 7 days vs the 7 days
   before. 10 × clamp(growth ÷ 100 %, 0, 1): full at +100 % (views doubled week over week), 0 when
   flat or falling. From nothing to something (previous 0, last > 0: a new post) is full growth;
   no views in the last 7 days is 0. #}
{% macro view_growth_points(views_last_7d, views_prev_7d) -%}
    case
        when coalesce({{ views_last_7d }}, 0) <= 0 then 0
        when coalesce({{ views_prev_7d }}, 0) <= 0 then 10
        else round(least(greatest((({{ views_last_7d }}) - ({{ views_prev_7d }}))::numeric / ({{ views_prev_7d }}), 0), 1) * 10, 4)
    end
{%- endmacro %}

{# Viral potential 0–100 = engagement part (≤ 40, full at 10 % engagement rate) + share-rate part
   (≤ 30, full at 1 %) + save-rate part (≤ 20, full at 1 %) + view-growth part (≤ 10).
   Rates in percent; a rate the platform does not report gives 0 points; NULL when the engagement
   rate itself is unknown (no views or impressions). #}
{% macro viral_potential(engagement_rate, share_rate, save_rate, growth_points) -%}
    case
        when ({{ engagement_rate }}) is null then null
        else round(
            least(greatest({{ engagement_rate }}, 0) / 10 * 40, 40)
            + least(greatest(coalesce({{ share_rate }}, 0), 0) * 30, 30)
            + least(greatest(coalesce({{ save_rate }}, 0), 0) * 20, 20)
            + coalesce({{ growth_points }}, 0),
            4
        )
    end
{%- endmacro %}

{# Empirical-Bayes (credibility) shrinkage of a group mean toward a prior mean:
   (n × group_mean + k × prior_mean) ÷ (n + k); k = prior strength in observations.
   With few observations the result stays near the prior; NULL group mean → the prior. #}
{% macro shrunk_mean(group_mean, group_n, prior_mean, prior_strength) -%}
    case
        when ({{ prior_mean }}) is null then {{ group_mean }}
        when ({{ group_mean }}) is null or coalesce({{ group_n }}, 0) = 0 then round(({{ prior_mean }})::numeric, 4)
        else round(
            (({{ group_n }}) * ({{ group_mean }})::numeric + ({{ prior_strength }}) * ({{ prior_mean }})::numeric)
            / (({{ group_n }}) + ({{ prior_strength }})),
            4
        )
    end
{%- endmacro %}

{# The date "now" of period-relative marts: var('as_of_date') when given, else the latest metric_date
   in `relation` (never the wall clock: same data, same marts). #}
{% macro as_of_date(relation, column='metric_date') -%}
    {%- if var('as_of_date', none) -%}
        '{{ var("as_of_date") }}'::date
    {%- else -%}
        (select max({{ column }}) from {{ relation }})
    {%- endif -%}
{%- endmacro %}

{# Title normalised for cross-post matching: lowercase, hashtags removed, non-alphanumerics collapsed. #}
{% macro normalized_title(column) -%}
    nullif(trim(regexp_replace(regexp_replace(lower(coalesce({{ column }}, '')), '#\w+', ' ', 'g'), '[^[:alnum:]]+', ' ', 'g')), '')
{%- endmacro %}
