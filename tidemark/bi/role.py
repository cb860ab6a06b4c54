"""The read-only BI logins: USAGE on schema marts, SELECT on its tables, nothing else.

`tidemark_bi` (no workspace) reads every row of every mart, now and future ones. A workspace login
(`tidemark_bi_<workspace>`) reads its workspace's rows only: Postgres row-level security on every
mart (core/warehouse/row_security.py). It gets SELECT from ops.secure_mart alone, never by default,
so a mart rebuilt without its policies stays unreadable for it (fail-closed).

The password is generated here and sent to Postgres already SCRAM-hashed, so the clear text never
reaches the server (nor its statement log); re-running rotates it."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit, urlunsplit

from psycopg2 import sql
from psycopg2.extensions import encrypt_password

from core.settings import ConfigError
from core.warehouse.connection import connect
from core.warehouse.row_security import secure_all_marts
from core.warehouse.schema import migrate

ROLE = "tidemark_bi"
SCHEMA = "marts"
MAX_NAME = 63  # bytes: Postgres truncates longer identifiers (NAMEDATALEN - 1)


@dataclass(frozen=True)
class BiLogin:
    role: str
    password: str
    url: str  # the warehouse URL with this login's credentials (never printed: display_url masks it)
    workspace: str | None = None  # None: every workspace
    warnings: list[str] = field(default_factory=list)


def login_name(workspace: str | None, role: str | None = None) -> str:
    """The login of a workspace (`tidemark_bi_<id>`, hyphens as underscores) or the admin login."""
    name = role or (f"{ROLE}_{workspace.replace('-', '_')}" if workspace else ROLE)
    if len(name.encode()) > MAX_NAME:
        raise ConfigError(f"the BI login name {name!r} is longer than Postgres' {MAX_NAME} characters; "
                          "give a shorter one with --role")
    return name


def grant_bi_role(admin_url: str, role: str = ROLE, workspace: str | None = None) -> BiLogin:
    """Create (or rotate) the login and (re)grant exactly what a dashboard needs; `workspace`: its rows only."""
    password = secrets.token_urlsafe(24)
    with connect(admin_url) as conn:
        migrate(conn, [])  # ops.bi_logins and ops.secure_mart (idempotent, as at every run's start)
        with conn, conn.cursor() as cur:
            ident = sql.Identifier(role)
            cur.execute("select 1 from pg_roles where rolname = %s", (role,))
            verb = "alter" if cur.fetchone() else "create"
            hashed = encrypt_password(password, role, cur, "scram-sha-256")
            cur.execute(sql.SQL(verb + " role {} login nosuperuser nocreatedb nocreaterole noinherit "
                                "noreplication nobypassrls password %s").format(ident), (hashed,))
            # Read-only even if a grant slips in later, and no runaway dashboard query holds the warehouse.
            cur.execute(sql.SQL("alter role {} set default_transaction_read_only = on").format(ident))
            cur.execute(sql.SQL("alter role {} set statement_timeout = '60s'").format(ident))
            cur.execute(sql.SQL("grant usage on schema marts to {}").format(ident))
            if workspace is None:
                cur.execute(sql.SQL("grant select on all tables in schema marts to {}").format(ident))
                # Tables dbt and the insights assets create later (they run as this same admin user).
                cur.execute(sql.SQL("alter default privileges in schema marts grant select on tables to {}")
                            .format(ident))
            else:
                # A clean slate (the role may have been an admin login): SELECT comes from secure_mart only.
                cur.execute(sql.SQL("revoke all on all tables in schema marts from {}").format(ident))
                cur.execute(sql.SQL("alter default privileges in schema marts revoke all on tables from {}")
                            .format(ident))
            cur.execute("insert into ops.bi_logins (role_name, workspace_id) values (%s, %s) on conflict (role_name) "
                        "do update set workspace_id = excluded.workspace_id, granted_at = now()", (role, workspace))
            secure_all_marts(cur)  # its policies and grants, in the transaction that revoked the old ones
        warnings = _public_leftovers(conn, role)
    parts = urlsplit(admin_url)
    host = parts.netloc.rsplit("@", 1)[-1]
    url = urlunsplit(parts._replace(netloc=f"{quote(role, safe='')}:{quote(password, safe='')}@{host}"))
    return BiLogin(role=role, password=password, url=url, workspace=workspace, warnings=warnings)


def _public_leftovers(conn, role: str) -> list[str]:
    """What the login holds through PUBLIC that a per-role REVOKE cannot take back. Postgres 15+ no
    longer gives CREATE on schema public to PUBLIC (the embedded server is 16); an older server, or a
    database upgraded from one, still does."""
    with conn, conn.cursor() as cur:
        cur.execute("select has_schema_privilege(%s, 'public', 'create') "
                    "from pg_namespace where nspname = 'public'", (role,))
        row = cur.fetchone()
    if row and row[0]:
        return ["the login can create tables in schema public (granted to PUBLIC on this server); "
                "run `revoke create on schema public from public` as the database owner"]
    return []
