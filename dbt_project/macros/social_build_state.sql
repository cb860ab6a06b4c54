{#
    The watermark raw compaction checks (ingestion/compaction.py, docs/retention.md): a fact model
    opts in with pre_hook social_build_begin() and post_hook social_build_end(). The pre-hook notes the
    moment before which every raw row was visible to the build: its own start, or the start of the
    oldest transaction still open in this database (a loader mid-commit: its rows carry its start as
    loaded_at but are not visible yet). The post-hook stores it in ops.social_build_state in the
    model's own transaction, so only a successful build moves it.
#}
{% macro social_build_begin() %}
    drop table if exists pg_temp.social_build_mark;
    create temp table social_build_mark as
    select least(statement_timestamp(), min(activity.xact_start)) as loaded_before
    from pg_stat_activity as activity
    where activity.datname = current_database()
        and activity.pid <> pg_backend_pid()
        and activity.xact_start is not null
{% endmacro %}


{% macro social_build_end() %}
    insert into ops.social_build_state (model, loaded_before, built_at)
    select '{{ this.identifier }}', mark.loaded_before, now() from pg_temp.social_build_mark as mark
    on conflict (model) do update set loaded_before = excluded.loaded_before, built_at = excluded.built_at
{% endmacro %}
