"""Who a privacy request is about: one workspace, and one of its accounts or all of them.

Today one deployment is one workspace (tidemark.yaml `workspace.id`): `known_workspaces` is the
one place a multi-workspace configuration widens. An account is found wherever Tidemark holds it
(tidemark.yaml, the account registry, any table with an account column), so an account already
removed from tidemark.yaml can still be exported and erased.
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
    """The workspaces of this deployment (one today)."""
    return [workspace.workspace.id]


def check_workspace(workspace: WorkspaceConfig, requested: str) -> str:
    known = known_workspaces(workspace)
    if requested not in known:
        raise ConfigError(f"--workspace {requested!r} is not a workspace of this deployment; known: "
                          f"{', '.join(known)} (tidemark.yaml workspace.id)")
    return requested


def token_pattern(values: list[str]) -> str:
    """A POSIX regex matching any value as a whole token (not inside a longer id)."""
    alternatives = "|".join(re.escape(value) for value in sorted(values, key=len, reverse=True))
    return f"(^|[^A-Za-z0-9_-])({alternatives})($|[^A-Za-z0-9_-])"


def _configured(workspace: WorkspaceConfig) -> list[Account]:
    return [Account(platform, account.id, account.name) for platform in sorted(workspace.platforms)
            for account in workspace.accounts(platform)]


def _stored(cur, tables: list[Table]) -> list[Account]:
    """Every (platform, account) in a raw table or the registry: the accounts the warehouse holds."""
    found: dict[tuple, Account] = {}
    cur.execute("select to_regclass('ops.workspace_accounts')")
    if cur.fetchone()[0]:
        cur.execute("select platform, account_id, account_name from ops.workspace_accounts")
        for platform, account_id, name in cur.fetchall():
            found[(platform, account_id)] = Account(platform, account_id, name)
    for table in tables:
        if table.schema != "raw" or table.account_column != "account_id":
            continue
        # raw.<platform>_<stream>, or a `platform` column (raw.competitor_snapshots)
        platform = sql.SQL("platform") if "platform" in table.columns else sql.Literal(table.name.split("_", 1)[0])
        cur.execute(sql.SQL("select distinct {}, account_id from {} where account_id is not null").format(
            platform, table.ident))
        for platform_name, account_id in cur.fetchall():
            found.setdefault((platform_name, account_id), Account(platform_name, account_id))
    return list(found.values())


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
        stored = _stored(cur, tables)
        names = {(a.platform, a.account_id): a.name for a in [*stored, *configured] if a.name}
        every = {(a.platform, a.account_id) for a in [*configured, *stored]}
        wanted = sorted(key for key in every if account_id is None or key[1] == account_id)
        if account_id is not None and not wanted:
            wanted = [(None, account_id)]  # nothing held: the request still runs (and is audited)
        accounts = tuple(Account(platform, aid, names.get((platform, aid))) for platform, aid in wanted)
        posts = _post_ids(cur, sorted({a.account_id for a in accounts}))
    listed = tuple(a for a in configured if (a.platform, a.account_id) in set(wanted))
    return Scope(workspace_id, account_id, accounts, listed, tuple(posts))
