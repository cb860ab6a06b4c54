"""Who a privacy request is about: one workspace, and one of its accounts or all of them.

An account is found wherever Tidemark holds it (tidemark.yaml, the account registry, any table with
an account column), so an account already removed from tidemark.yaml can still be exported and
erased. Its workspace comes from tidemark.yaml or the registry; an account another workspace holds
is refused, and one only raw tables remember (no workspace on record) belongs to a whole-workspace
request only when the deployment has a single workspace.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from psycopg2 import sql

from core.settings import ConfigError
from core.workspace import WorkspaceConfig
from tidemark.privacy.tables import Table

MIN_NAME = 4  # shorter names are too common a string to redact from logs


@dataclass(frozen=True)
class Account:
    platform: str | None  # None: found only in a table without a platform column
    account_id: str
    name: str | None = None


@dataclass(frozen=True)
class Scope:
    workspace_id: str
    account_id: str | None  # None: the whole workspace
    accounts: tuple[Account, ...]
    configured: tuple[Account, ...]  # still listed in tidemark.yaml: a later sync fetches them again
    post_ids: tuple[str, ...]  # the accounts' posts (marts.dim_posts), to find rows that mention them
    single: bool = True  # the deployment's only workspace: a whole-workspace request is every row

    @property
    def everything(self) -> bool:
        """Every row of every table: the whole workspace of a one-workspace deployment."""
        return self.account_id is None and self.single

    @property
    def account_ids(self) -> list[str]:
        return sorted({account.account_id for account in self.accounts})

    @property
    def platforms(self) -> list[str]:
        return sorted({account.platform for account in self.accounts if account.platform})

    def identifiers(self) -> list[str]:
        """Strings that name the accounts in a row or a file: their ids and their posts' ids."""
        return sorted({*self.account_ids, *self.post_ids})

    def names(self) -> list[str]:
        return sorted({a.name for a in self.accounts if a.name and len(a.name) >= MIN_NAME} - set(self.account_ids))


def known_workspaces(workspace: WorkspaceConfig) -> list[str]:
    """The workspaces of this deployment."""
    return workspace.workspace_ids()


def check_workspace(workspace: WorkspaceConfig, requested: str) -> str:
    known = known_workspaces(workspace)
    if requested not in known:
        raise ConfigError(f"--workspace {requested!r} is not a workspace of this deployment; known: "
                          f"{', '.join(known)} (tidemark.yaml workspaces)")
    return requested


def token_pattern(values: list[str]) -> str:
    """A POSIX regex matching any value as a whole token (not inside a longer id)."""
    alternatives = "|".join(re.escape(value) for value in sorted(values, key=len, reverse=True))
    return f"(^|[^A-Za-z0-9_-])({alternatives})($|[^A-Za-z0-9_-])"


def _configured(workspace: WorkspaceConfig) -> dict[tuple, tuple[Account, str]]:
    """(platform, account id) → the account and its workspace, as tidemark.yaml lists them."""
    return {(platform, account.id): (Account(platform, account.id, account.name), account.workspace_id)
            for platform in sorted(workspace.platforms) for account in workspace.accounts(platform)}


def _stored(cur, tables: list[Table]) -> dict[tuple, tuple[Account, str | None]]:
    """Every (platform, account) in a raw table or the registry: the accounts the warehouse holds,
    with the workspace the registry gives (None: only raw tables remember the account)."""
    found: dict[tuple, tuple[Account, str | None]] = {}
    cur.execute("select to_regclass('ops.workspace_accounts')")
    if cur.fetchone()[0]:
        cur.execute("select platform, account_id, account_name, workspace_id from ops.workspace_accounts")
        for platform, account_id, name, workspace_id in cur.fetchall():
            found[(platform, account_id)] = (Account(platform, account_id, name), workspace_id)
    for table in tables:
        if table.schema != "raw" or table.account_column != "account_id":
            continue
        # raw.<platform>_<stream>, or a `platform` column (raw.competitor_snapshots)
        platform = sql.SQL("platform") if "platform" in table.columns else sql.Literal(table.name.split("_", 1)[0])
        cur.execute(sql.SQL("select distinct {}, account_id from {} where account_id is not null").format(
            platform, table.ident))
        for platform_name, account_id in cur.fetchall():
            found.setdefault((platform_name, account_id), (Account(platform_name, account_id), None))
    return found


def _post_ids(cur, account_ids: list[str]) -> list[str]:
    cur.execute("select to_regclass('marts.dim_posts')")
    if not cur.fetchone()[0] or not account_ids:
        return []
    cur.execute("select distinct post_id from marts.dim_posts where account_id = any(%s) and post_id is not null",
                (account_ids,))
    return sorted(row[0] for row in cur.fetchall())


def resolve(conn, workspace: WorkspaceConfig, workspace_id: str, account_id: str | None,
            tables: list[Table]) -> Scope:
    check_workspace(workspace, workspace_id)
    if account_id is not None and not account_id.strip():
        raise ConfigError("--account must not be empty")
    configured = _configured(workspace)
    with conn.cursor() as cur:
        held = _stored(cur, tables) | configured  # tidemark.yaml's workspace wins over the registry's
        single = len(workspace.workspaces) == 1
        names = {key: account.name for key, (account, _) in held.items() if account.name}
        mine = {key for key, (_, ws) in held.items() if ws == workspace_id or (ws is None and single)}
        if account_id is not None:
            elsewhere = sorted({ws for (_, aid), (_, ws) in held.items() if aid == account_id and ws
                                and ws != workspace_id})
            if elsewhere:
                raise ConfigError(f"account {account_id!r} belongs to workspace {elsewhere[0]!r}, not "
                                  f"{workspace_id!r}: run the request with --workspace {elsewhere[0]}")
            mine |= {key for key, (_, ws) in held.items() if ws is None and key[1] == account_id}
        wanted = sorted(key for key in mine if account_id is None or key[1] == account_id)
        if account_id is not None and not wanted:
            wanted = [(None, account_id)]  # nothing held: the request still runs (and is audited)
        accounts = tuple(Account(platform, aid, names.get((platform, aid))) for platform, aid in wanted)
        posts = _post_ids(cur, sorted({a.account_id for a in accounts}))
    listed = tuple(configured[key][0] for key in wanted if key in configured)
    return Scope(workspace_id, account_id, accounts, listed, tuple(posts), single)
