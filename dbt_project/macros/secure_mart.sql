{#
    Every mart's post-hook (dbt_project.yml): row-level security for the per-workspace BI logins
    (core/warehouse/row_security.py, docs/bi.md). dbt-postgres has no table materialization of its own:
    dbt-adapters' global one (macros/materializations/models/table.sql; incremental.sql alike) runs
    inside_transaction post-hooks after renaming the new table into place and before the COMMIT, so a
    rebuilt mart is never visible without its policies. A tenant login has no default privileges:
    were this hook skipped, the new table would be unreadable for it, not open (fail-closed).
    Models under marts/community belong as a whole to the workspace that owns the community domain
    (TIDEMARK_COMMUNITY_WORKSPACE, empty if none). A no-op where `tidemark` has not migrated the
    warehouse (ops.secure_mart missing). The on-run-end drop_orphan_relations only drops stg_/int_
    relations of the staging schema: it never touches a mart or its policies.
#}
{% macro secure_mart() %}
    {%- set community = model.fqn[1:3] == ['marts', 'community'] -%}
    {%- set owner = env_var('TIDEMARK_COMMUNITY_WORKSPACE', '') if community else '' -%}
    do $secure$ begin
        if to_regprocedure('ops.secure_mart(regclass, text)') is not null then
            perform ops.secure_mart('{{ this | string | replace("'", "''") }}'::regclass,
                                    nullif('{{ owner | replace("'", "''") }}', ''));
        end if;
    end $secure$
{% endmacro %}
