{#
    Raw rows the quality gate holds (quarantined, not released) never reach staging. The rule is
    the view ops.held_raw_rows, shared with the Python checks (expectations/freshness.py).
#}
{% macro not_quarantined(raw_table, raw_id_column='raw_id') -%}
    {{ raw_id_column }} not in (
        select held.raw_id
        from {{ source('ops', 'held_raw_rows') }} as held
        where held.raw_table = '{{ raw_table }}'
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
    windows and snapshots, so a newer fetch of the same record replaces the older one. The loader
    stores a record again whenever it differs from its latest stored version, so the newest row is
    the latest version; an identical re-fetch only records last_fetched_at on it.
#}
{% macro latest_raw_records(source_name, table) -%}
    select distinct on (account_id, record_key) *
    from {{ source(source_name, table) }}
    where {{ not_quarantined(table) }}
    order by account_id, record_key, raw_id desc
{%- endmacro %}
