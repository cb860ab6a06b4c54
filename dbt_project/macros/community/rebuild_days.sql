{#
    Incremental community models: which UTC days a run rebuilds, decided in one place.

    A model opts in with `{{ config(**community_incremental(...)) }}` and reads its events through
    `community_rebuild_filter('event_at')` (raw-derived rows) or `community_rebuild_day_filter('day')`
    (rows of another community model). Each run then:

    1. (pre-hook) holds the ingest lock in shared mode for a moment, so no ingest batch is half
       committed, and notes the model's new watermark: the newest raw loaded_at (or, for a model fed by
       other community models, the oldest of their watermarks: it cannot have seen more than they did);
    2. lists the rebuild days in pg_temp.community_rebuild_days: the UTC days of raw events loaded after
       the model's last watermark (ops.community_build_state), plus var('community_rebuild_days')
       (days whose raw was edited, e.g. a user erased), each with `before` earlier days (a session
       that started the day before), through the latest day when `through_latest` (running totals),
       plus, with `restate_from`, every later day of the table (every day when days were requested)
       with from_raw = false (state-derived columns recomputed, the others kept from the model's rows); days already compacted by the raw cleanup
       (ops.community_compacted_days) are never rebuilt: their raw is partial;
    3. builds the rows of those days; the strategy `community_days` deletes the days and inserts them
       (a day that now has no rows is emptied), in one transaction;
    4. (post-hook) stores the watermark.
    `--full-refresh` recomputes every day that still has raw (full_refresh=false keeps the compacted
    days' rows, which raw can no longer give back); a missing table is built from scratch.
#}
{% macro community_incremental(day_column='day', before=0, through_latest=false, restate_from=none,
                               changes=none, upstream=[], unique_key=none, indexes=none) %}
    {#- restate_from: {'model': ..., 'column': ...}: days from the earliest `column` of that model's rows
        changed since the last build are restated (from_raw false). -#}
    {%- set settings = {
        'day_column': day_column, 'before': before, 'through_latest': through_latest,
        'restate_from': restate_from, 'changes': changes, 'upstream': upstream,
    } -%}
    {%- set result = {
        'materialized': 'incremental',
        'incremental_strategy': 'delete+insert' if unique_key else 'community_days',
        'full_refresh': false,
        'on_schema_change': 'append_new_columns',
        'community_rebuild': settings,
        'pre_hook': ['{{ community_rebuild_begin() }}'],
        'post_hook': ['{{ community_rebuild_end() }}'],
        'indexes': indexes if indexes is not none else [{'columns': [day_column]}],
    } -%}
    {%- if unique_key -%}
        {%- do result.update({'unique_key': unique_key}) -%}
    {%- endif -%}
    {{ return(result) }}
{% endmacro %}


{#- var('community_rebuild_days'): a list of 'YYYY-MM-DD' (or one such string), validated here. -#}
{% macro community_requested_days() %}
    {%- set given = var('community_rebuild_days', []) -%}
    {%- set days = [given] if given is string else (given or []) -%}
    {%- set checked = [] -%}
    {%- for day in days -%}
        {%- if not modules.re.fullmatch('[0-9]{4}-[0-9]{2}-[0-9]{2}', day | string) -%}
            {{ exceptions.raise_compiler_error(
                "community_rebuild_days: '" ~ day ~ "' is not a YYYY-MM-DD day (pass a list of days)") }}
        {%- endif -%}
        {%- do checked.append(day | string) -%}
    {%- endfor -%}
    {{ return(checked) }}
{% endmacro %}


{#-
    The model's last stored watermark (-infinity: none yet, or --full-refresh: every day), as a literal:
    a subquery would leave Postgres guessing a third of raw and scanning all of it instead of the
    loaded_at index. Only the model's own build writes it, so reading it first races with nothing.
-#}
{% macro community_since() -%}
    {%- set ns = namespace(mark=none) -%}
    {%- if execute and not flags.FULL_REFRESH -%}
        {%- set found = run_query(
            "select loaded_through::text from ops.community_build_state where model = '"
            ~ this.identifier ~ "' and loaded_through is not null") -%}
        {%- if found and found.rows | length > 0 -%}
            {%- set ns.mark = found.rows[0][0] -%}
        {%- endif -%}
    {%- endif -%}
    {%- if ns.mark -%}
        '{{ ns.mark }}'::timestamptz
    {%- else -%}
        '-infinity'::timestamptz
    {%- endif -%}
{%- endmacro %}


{% macro community_rebuild_days_sql(settings) %}
    {%- set raw_events = source('community', 'community_events') -%}
    {%- set requested = community_requested_days() -%}
    with

    changed as (
        {% if settings.changes %}
        select changes.day from {{ ref(settings.changes) }} as changes where changes.loaded_at > {{ community_since() }}
        {% else %}
        select (raw_events.event_at at time zone 'UTC')::date as day
        from {{ raw_events }} as raw_events
        where raw_events.loaded_at > {{ community_since() }}
        {% endif %}
        {% for day in requested %}
        union all
        select '{{ day }}'::date
        {% endfor %}
    ),

    changed_days as (
        select distinct changed.day from changed
    ),

    from_raw as (
        select changed_days.day - earlier.days as day
        from changed_days
        cross join generate_series(0, {{ settings.before }}) as earlier (days)
        {% if settings.through_latest %}
        union
        select series.day::date
        from (select min(changed_days.day) as first_day from changed_days) as bounds
        cross join lateral generate_series(
            bounds.first_day::timestamp,
            (select max(raw_events.event_at) at time zone 'UTC' from {{ raw_events }} as raw_events),
            interval '1 day'
        ) as series (day)
        {% endif %}
    ),

    all_days as (
        select distinct
            from_raw.day,
            true as from_raw
        from from_raw
        {% if settings.restate_from %}
        union all
        select distinct
            existing.{{ settings.day_column }} as day,
            false as from_raw
        from {{ this }} as existing
        where
            {% if requested %}
            -- edited raw (an erased member) may have changed the state behind any day: restate all
            true
            {% else %}
            existing.{{ settings.day_column }} >= (
                select min(changes.{{ settings.restate_from.column }}) from {{ ref(settings.restate_from.model) }} as changes
                where changes.loaded_at > {{ community_since() }}
            )
            {% endif %}
            and existing.{{ settings.day_column }} not in (select from_raw.day from from_raw)
        {% endif %}
    )

    select
        all_days.day,
        all_days.from_raw,
        all_days.day::timestamp at time zone 'UTC' as day_start
    from all_days
    where
        all_days.day is not null
        and all_days.day not in (select compacted.day from ops.community_compacted_days as compacted)
{% endmacro %}


{% macro community_rebuild_begin() %}
    {%- set settings = config.get('community_rebuild') -%}
    drop table if exists pg_temp.community_build_mark;
    drop table if exists pg_temp.community_rebuild_days;
    -- No ingest batch half committed while the watermark is read (ingestion/community/load.py).
    select pg_advisory_lock_shared(hashtext('tidemark.community_ingest'));
    create temp table community_build_mark as
    select
        {% if settings.changes %}
        (select min(state.loaded_through) from ops.community_build_state as state
         where state.model = '{{ settings.changes }}')
        {% else %}
        least(
            (select max(raw_events.loaded_at) from {{ source('community', 'community_events') }} as raw_events)
            {% for model in settings.upstream %}
            , coalesce((select state.loaded_through from ops.community_build_state as state
                        where state.model = '{{ model }}'), '-infinity'::timestamptz)
            {% endfor %}
        )
        {% endif %} as loaded_through;
    create temp table community_rebuild_days as
    {% if is_incremental() %}
        {{ community_rebuild_days_sql(settings) }}
    {% else %}
        select null::date as day, true as from_raw, null::timestamptz as day_start where false
    {% endif %};
    select pg_advisory_unlock_shared(hashtext('tidemark.community_ingest'));
    analyze pg_temp.community_rebuild_days
{% endmacro %}


{% macro community_rebuild_end() %}
    insert into ops.community_build_state (model, loaded_through, built_at)
    select '{{ this.identifier }}', mark.loaded_through, now() from pg_temp.community_build_mark as mark
    on conflict (model) do update set loaded_through = excluded.loaded_through, built_at = excluded.built_at;
    analyze {{ this }}
{% endmacro %}


{#-
    Events to read: those on a rebuild day recomputed from raw, widened by read_before / read_after
    days (sessions look a day back for the gap and a day ahead for their end). The min/max bounds let
    Postgres use the event_at index; the exists keeps the exact days.
-#}
{% macro community_rebuild_filter(time_column, read_before=0, read_after=0) -%}
    {%- if is_incremental() -%}
        (
            {{ time_column }} >= (
                select min(rebuild.day_start) - interval '{{ read_before }} days'
                from pg_temp.community_rebuild_days as rebuild where rebuild.from_raw
            )
            and {{ time_column }} < (
                select max(rebuild.day_start) + interval '{{ read_after + 1 }} days'
                from pg_temp.community_rebuild_days as rebuild where rebuild.from_raw
            )
            and exists (
                select 1 from pg_temp.community_rebuild_days as rebuild
                where
                    rebuild.from_raw
                    and ({{ time_column }} at time zone 'UTC')::date
                    between rebuild.day - {{ read_before }} and rebuild.day + {{ read_after }}
            )
        )
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}


{#-
    Events from the first day rebuilt from raw on (less `slack_days`) to the newest event; the upper
    bound only tells the planner this is a range (a one-sided bound from a subquery reads as a third of
    the table, and it would scan all of it).
-#}
{% macro community_rebuild_since(time_column, slack_days=0) -%}
    {%- if is_incremental() -%}
        {{ time_column }} >= (
            select min(rebuild.day_start) - interval '{{ slack_days }} days'
            from pg_temp.community_rebuild_days as rebuild where rebuild.from_raw
        )
        and {{ time_column }} <= (select max(newest.event_at) from {{ ref('stg_community__events') }} as newest)
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}


{#-
    Rows (of a day column) on a rebuild day: days='raw' those recomputed from their sources, 'restated'
    those only restated from the model's own rows (never true in a full build).
-#}
{% macro community_rebuild_day_filter(day_column, days='raw') -%}
    {%- if is_incremental() -%}
        {{ day_column }} in (
            select rebuild.day from pg_temp.community_rebuild_days as rebuild
            where {% if days == 'restated' %}not {% endif %}rebuild.from_raw
        )
    {%- elif days == 'restated' -%}
        false
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}


{#- Strategy `community_days`: empty the rebuild days, insert their rows (one transaction). -#}
{% macro get_incremental_community_days_sql(arg_dict) %}
    {%- set settings = config.get('community_rebuild') -%}
    {%- set columns = arg_dict['dest_columns'] | map(attribute='quoted') | join(', ') -%}
    delete from {{ arg_dict['target_relation'] }}
    where {{ settings.day_column }} in (select rebuild.day from pg_temp.community_rebuild_days as rebuild);
    insert into {{ arg_dict['target_relation'] }} ({{ columns }})
    select {{ columns }} from {{ arg_dict['temp_relation'] }}
{% endmacro %}
