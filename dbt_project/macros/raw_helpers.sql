{#
    Raw rows that the quality gate quarantined (and nobody released yet) never reach staging.
    `not in` keeps `raw_id_column` bound to the outer table (inside a correlated `exists`, a bare
    `raw_id` would resolve to quarantine.raw_id and exclude everything).
#}
{% macro not_quarantined(raw_table, raw_id_column='raw_id') -%}
    {{ raw_id_column }} not in (
        select quarantine.raw_id
        from {{ source('ops', 'quarantine') }} as quarantine
        where quarantine.raw_table = '{{ raw_table }}'
            and quarantine.raw_id is not null
            and quarantine.released_at is null
    )
{%- endmacro %}

{# ISO-8601 durations as YouTube sends them (PT1H2M3S, P1DT2S) in seconds. #}
{% macro iso8601_duration_seconds(column) -%}
    (
        coalesce(substring({{ column }} from '(\d+)D')::int, 0) * 86400
        + coalesce(substring({{ column }} from 'T(?:.*?)(\d+)H')::int, 0) * 3600
        + coalesce(substring({{ column }} from 'T(?:.*?)(\d+)M')::int, 0) * 60
        + coalesce(substring({{ column }} from 'T(?:.*?)(\d+)S')::int, 0)
    )
{%- endmacro %}

{# Hashtags of a caption/title: lowercase, without '#', sorted, comma-separated (BI tools handle text, not arrays). #}
{% macro hashtags(column) -%}
    (
        select string_agg(distinct lower(match[1]), ',' order by lower(match[1]))
        from regexp_matches(coalesce({{ column }}, ''), '#(\w+)', 'g') as match
    )
{%- endmacro %}

{#
    The latest version of each raw record that is not quarantined: connectors re-read lookback
    windows and snapshots, so a newer fetch of the same record replaces the older one. "Latest"
    means fetched last: an identical payload fetched again is stored once but its fetch is recorded
    (last_fetched_at), so it becomes current again over a different payload fetched in between.
#}
{% macro latest_raw_records(source_name, table) -%}
    select distinct on (account_id, record_key) *
    from {{ source(source_name, table) }}
    where {{ not_quarantined(table) }}
    order by account_id, record_key, coalesce(last_fetched_at, fetched_at) desc, raw_id desc
{%- endmacro %}
