"""The account registry in `ops.workspace_accounts`: tidemark.yaml as a table dbt can read."""

from __future__ import annotations

from tidemark.workspace import PLATFORMS, WorkspaceConfig, resolve_credentials


def sync_workspace_accounts(conn, workspace: WorkspaceConfig) -> int:
    """Replace the registry with the accounts of tidemark.yaml (one transaction)."""
    rows = []
    for platform in PLATFORMS:
        for account in workspace.accounts(platform):
            rows.append((
                workspace.workspace.id, platform, account.id, account.name or account.id,
                workspace.account_timezone(account),
                resolve_credentials(platform, account) is None,
            ))
    with conn, conn.cursor() as cur:
        cur.execute("delete from ops.workspace_accounts")
        cur.executemany(
            "insert into ops.workspace_accounts (workspace_id, platform, account_id, account_name, timezone, "
            "is_simulated) values (%s, %s, %s, %s, %s, %s)",
            rows,
        )
    return len(rows)
