"""The account registry in `ops.workspace_accounts`: tidemark.yaml as a table dbt can read."""

from __future__ import annotations

from collections.abc import Mapping

from psycopg2 import sql

from core.platform import PlatformSpec
from core.workspace import WorkspaceConfig


def sync_workspace_accounts(conn, workspace: WorkspaceConfig, platforms: Mapping[str, PlatformSpec]) -> int:
    """Replace the registry with the accounts of tidemark.yaml, each with its workspace, and the
    community's workspace (one transaction)."""
    rows = []
    for name in platforms:
        for account in workspace.accounts(name):
            rows.append((
                account.workspace_id, name, account.id, account.name or account.id,
                workspace.account_timezone(account),
                workspace.is_simulated(account),
            ))
    with conn, conn.cursor() as cur:
        # Concurrent run starts take turns, with the migration's lock: two delete+insert at once would insert
        # the same keys twice, and the stamps' updates against another start's trigger DDL deadlock.
        cur.execute("select pg_advisory_xact_lock(hashtext('tidemark.migrate'))")
        cur.execute("delete from ops.workspace_domains")
        if workspace.community is not None:
            cur.execute("insert into ops.workspace_domains (domain, workspace_id) values ('community', %s)",
                        (workspace.community_workspace().id,))
        cur.execute("delete from ops.workspace_accounts")
        cur.executemany(
            "insert into ops.workspace_accounts (workspace_id, platform, account_id, account_name, timezone, "
            "is_simulated) values (%s, %s, %s, %s, %s, %s)",
            rows,
        )
        stamp_workspaces(cur)
    return len(rows)


def stamp_workspaces(cur) -> None:
    """Give rows written before their account was in the registry (or under an older Tidemark) their
    workspace: every raw and ops table with workspace_id and account_id."""
    cur.execute("""
        select c.table_schema, c.table_name, bool_or(c.column_name = 'platform')
        from information_schema.columns as c
        inner join information_schema.tables as t using (table_schema, table_name)
        where t.table_type = 'BASE TABLE' and c.table_schema in ('raw', 'ops')
        group by 1, 2
        having bool_or(c.column_name = 'workspace_id') and bool_or(c.column_name = 'account_id')
        order by 1, 2""")
    for schema, table, has_platform in cur.fetchall():
        platform = sql.SQL("t.platform") if has_platform else sql.Literal(table.split("_", 1)[0])
        stamp_from_registry(cur, sql.Identifier(schema, table), platform=platform)


def stamp_from_registry(cur, table: sql.Identifier, account: str = "account_id",
                        platform: sql.Composable | None = None) -> None:
    """Set the workspace of `table`'s rows without one from their account's registry entry (an account
    is in exactly one workspace). `platform`: the rows' platform as SQL over alias t."""
    cur.execute(sql.SQL(
        "update {} as t set workspace_id = w.workspace_id from ops.workspace_accounts as w "
        "where t.workspace_id is null and w.platform = {} and w.account_id = {}").format(
            table, platform or sql.SQL("t.platform"), sql.Identifier("t", account)))
