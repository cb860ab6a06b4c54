"""The account registry in `ops.workspace_accounts`: tidemark.yaml as a table dbt can read."""

from __future__ import annotations

from collections.abc import Mapping

from core.platform import PlatformSpec
from core.workspace import WorkspaceConfig


def sync_workspace_accounts(conn, workspace: WorkspaceConfig, platforms: Mapping[str, PlatformSpec]) -> int:
    """Replace the registry with the accounts of tidemark.yaml (one transaction)."""
    rows = []
    for name in platforms:
        for account in workspace.accounts(name):
            rows.append((
                workspace.workspace.id, name, account.id, account.name or account.id,
                workspace.account_timezone(account),
                workspace.is_simulated(account),
            ))
    with conn, conn.cursor() as cur:
        cur.execute("delete from ops.workspace_accounts")
        cur.executemany(
            "insert into ops.workspace_accounts (workspace_id, platform, account_id, account_name, timezone, "
            "is_simulated) values (%s, %s, %s, %s, %s, %s)",
            rows,
        )
    return len(rows)
