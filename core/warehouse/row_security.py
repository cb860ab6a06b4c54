"""Row-level security on schema `marts`: one read-only BI login per workspace (docs/bi.md, "Workspaces").

`ops.bi_logins` lists the BI logins (workspace NULL = the admin login, every row). `ops.secure_mart(t, owner)`
enables RLS on a mart and gives each registered login its SELECT policy and grant; the first rule that
applies decides the policy:

    (a) a workspace_id column            workspace_id = '<W>'
    (b) an account_key column            account_key = any('{<W's platform:account_id keys>}')
    (c) platform and account_id columns  (platform, account_id) in ((<W's pairs>))
    (d) none of those, owner = W         true      (the whole table is W's: the community marts)
    otherwise                            no policy: the tenant sees 0 rows

The lists are literals read from ops.workspace_accounts when the policy is written (no policy reads a
table dbt drops and rebuilds). A tenant login has no default privileges: a table (re)built without
secure_mart is unreadable for it (fail-closed). dbt calls it in every mart's post-hook
(dbt_project/macros/secure_mart.sql), the insights store after creating its marts, and the run start
calls `ops.secure_all_marts()` after the registry sync, so new accounts reach the lists.

A policy is rewritten only when its rule changed (the rule is kept as the policy's comment): an
unchanged warehouse takes no lock on its marts. The owner a mart was secured with is remembered in
ops.bi_mart_owners, so secure_all_marts() keeps the community marts' rule (d); it moves them to the
community's workspace of the registry (ops.workspace_domains), or takes them from every workspace
login when no workspace owns the community any more.
"""

from __future__ import annotations

ROW_SECURITY = [
    """
    create table if not exists ops.bi_logins (
        role_name    text primary key,
        workspace_id text,                 -- NULL: every workspace (the admin login tidemark_bi)
        granted_at   timestamptz not null default now()
    )""",
    """
    create table if not exists ops.bi_mart_owners (
        relation        text primary key,  -- schema.table, as format('%I.%I')
        owner_workspace text not null,     -- the workspace a keyless mart belongs to (rule d)
        secured_at      timestamptz not null default now()
    )""",
    # A warehouse whose admin login predates ops.bi_logins: it keeps seeing every row once RLS is on.
    """
    insert into ops.bi_logins (role_name, workspace_id)
    select r.rolname, null from pg_roles as r
    where r.rolname = 'tidemark_bi' and has_schema_privilege(r.oid, 'marts', 'usage')
    on conflict (role_name) do nothing""",
    r"""
    create or replace function ops.secure_mart(target regclass, owner_workspace text default null)
    returns void language plpgsql set search_path = pg_catalog, pg_temp as $fn$
    declare
        rel    text;
        shape  text;   -- which rule's columns the table has: workspace | key | pair | none
        login  record;
        rule   text;
        pol    oid;
    begin
        select format('%I.%I', n.nspname, c.relname) into rel
        from pg_class as c inner join pg_namespace as n on n.oid = c.relnamespace
        where c.oid = target and c.relkind in ('r', 'p');
        if rel is null then
            return;  -- a view: no policy applies to it, and no tenant gets SELECT on it (fail-closed)
        end if;
        owner_workspace := nullif(owner_workspace, '');
        if owner_workspace is null then
            delete from ops.bi_mart_owners where relation = rel;
        else
            insert into ops.bi_mart_owners (relation, owner_workspace) values (rel, owner_workspace)
            on conflict (relation) do update set owner_workspace = excluded.owner_workspace, secured_at = now();
        end if;
        select case
                when bool_or(attname = 'workspace_id') then 'workspace'
                when bool_or(attname = 'account_key') then 'key'
                when bool_or(attname = 'platform') and bool_or(attname = 'account_id') then 'pair'
                else 'none' end
            into shape
        from pg_attribute where attrelid = target and attnum > 0 and not attisdropped;
        if not (select relrowsecurity from pg_class where oid = target) then
            execute format('alter table %s enable row level security', target);
        end if;
        for login in
            select b.role_name, b.workspace_id from ops.bi_logins as b
            inner join pg_roles as r on r.rolname = b.role_name
            order by b.role_name
        loop
            if login.workspace_id is null then
                rule := 'true';
            elsif shape = 'workspace' then
                rule := format('workspace_id::text = %L', login.workspace_id);
            elsif shape = 'key' then
                select format('account_key::text = any (%L::text[])',
                              coalesce(array_agg(a.platform || ':' || a.account_id
                                                 order by a.platform, a.account_id), '{}'))
                    into rule
                from ops.workspace_accounts as a where a.workspace_id = login.workspace_id;
            elsif shape = 'pair' then
                select case when count(*) = 0 then 'false' else
                        format('(platform::text, account_id::text) in (%s)',
                               string_agg(format('(%L, %L)', a.platform, a.account_id), ', '
                                          order by a.platform, a.account_id)) end
                    into rule
                from ops.workspace_accounts as a where a.workspace_id = login.workspace_id;
            elsif owner_workspace = login.workspace_id then
                rule := 'true';
            else
                rule := null;  -- RLS on, no policy: this login sees no row of the table
            end if;
            select p.oid into pol from pg_policy as p where p.polrelid = target and p.polname = login.role_name;
            if pol is not null and (rule is null or obj_description(pol, 'pg_policy') is distinct from rule) then
                execute format('drop policy %I on %s', login.role_name, target);
                pol := null;
            end if;
            if pol is null and rule is not null then
                begin
                    execute format('create policy %I on %s as permissive for select to %I using (%s)',
                                   login.role_name, target, login.role_name, rule);
                    execute format('comment on policy %I on %s is %L', login.role_name, target, rule);
                exception when duplicate_object then
                    null;  -- a concurrent securing (a run start during a dbt build) wrote it from the same registry
                end;
            end if;
            if not has_table_privilege(login.role_name, target::oid, 'select') then
                execute format('grant select on %s to %I', target, login.role_name);
            end if;
        end loop;
    end
    $fn$""",
    """
    create or replace function ops.secure_all_marts() returns integer
    language plpgsql set search_path = pg_catalog, pg_temp as $fn$
    declare
        mart record;
        secured integer := 0;
    begin
        -- Only the community marts have an owner: they follow the community's workspace as the registry
        -- sync just wrote it (ops.workspace_domains), not only as their next build's hook passes it.
        delete from ops.bi_mart_owners
        where not exists (select from ops.workspace_domains where domain = 'community');
        update ops.bi_mart_owners as o set owner_workspace = d.workspace_id, secured_at = now()
        from ops.workspace_domains as d
        where d.domain = 'community' and o.owner_workspace <> d.workspace_id;
        for mart in
            select c.oid::regclass as target, o.owner_workspace
            from pg_class as c
            inner join pg_namespace as n on n.oid = c.relnamespace
            left join ops.bi_mart_owners as o on o.relation = format('%I.%I', n.nspname, c.relname)
            where n.nspname = 'marts' and c.relkind in ('r', 'p') and not c.relispartition
            order by c.relname
        loop
            begin
                perform ops.secure_mart(mart.target, mart.owner_workspace);
                secured := secured + 1;
            exception when undefined_table then
                null;  -- renamed or dropped meanwhile by a dbt build, whose post-hook secures the new one
            end;
        end loop;
        return secured;
    end
    $fn$""",
    # Only the warehouse's own user runs them (a BI login has no USAGE on ops either).
    "revoke execute on function ops.secure_mart(regclass, text), ops.secure_all_marts() from public",
]

SECURE_MART = """
do $secure$ begin
    if to_regprocedure('ops.secure_mart(regclass, text)') is not null then
        perform ops.secure_mart(%s::regclass, %s);
    end if;
end $secure$"""


def secure_mart(cur, table: str, owner_workspace: str | None = None) -> None:
    """Secure one mart in the caller's transaction (a no-op on a warehouse not migrated yet)."""
    cur.execute(SECURE_MART, (table, owner_workspace))


def secure_all_marts(cur) -> int:
    """Re-secure every table of marts in the caller's transaction: the registry's accounts reach the
    policies. The number of tables. Run starts (several ingestion runs at once) take turns."""
    cur.execute("select pg_advisory_xact_lock(hashtext('tidemark.secure_all_marts'))")
    cur.execute("select ops.secure_all_marts()")
    return cur.fetchone()[0]
