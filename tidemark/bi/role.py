"""The read-only BI login: USAGE on schema marts, SELECT on its tables (now and future ones), nothing
else. Its password is generated here and sent to Postgres already SCRAM-hashed, so the clear text
never reaches the server (nor its statement log); re-running rotates it."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from urllib.parse import quote, urlsplit, urlunsplit

from psycopg2 import sql
from psycopg2.extensions import encrypt_password

from core.warehouse.connection import connect

ROLE = "tidemark_bi"
SCHEMA = "marts"


@dataclass(frozen=True)
class BiLogin:
    role: str
    password: str
    url: str  # the warehouse URL with this login's credentials (never printed: display_url masks it)


def grant_bi_role(admin_url: str, role: str = ROLE) -> BiLogin:
    """Create (or rotate) the login and (re)grant exactly what a dashboard needs."""
    password = secrets.token_urlsafe(24)
    with connect(admin_url) as conn, conn.cursor() as cur:
        ident = sql.Identifier(role)
        cur.execute("select 1 from pg_roles where rolname = %s", (role,))
        verb = "alter" if cur.fetchone() else "create"
        hashed = encrypt_password(password, role, cur, "scram-sha-256")
        cur.execute(sql.SQL(verb + " role {} login nosuperuser nocreatedb nocreaterole noinherit "
                            "noreplication nobypassrls password %s").format(ident), (hashed,))
        # Read-only even if a grant slips in later, and no runaway dashboard query holds the warehouse.
        cur.execute(sql.SQL("alter role {} set default_transaction_read_only = on").format(ident))
        cur.execute(sql.SQL("alter role {} set statement_timeout = '60s'").format(ident))
        cur.execute("create schema if not exists marts")
        cur.execute(sql.SQL("grant usage on schema marts to {}").format(ident))
        cur.execute(sql.SQL("grant select on all tables in schema marts to {}").format(ident))
        # Tables dbt and the insights assets create later (they run as this same admin user).
        cur.execute(sql.SQL("alter default privileges in schema marts grant select on tables to {}").format(ident))
        conn.commit()
    parts = urlsplit(admin_url)
    host = parts.netloc.rsplit("@", 1)[-1]
    url = urlunsplit(parts._replace(netloc=f"{quote(role, safe='')}:{quote(password, safe='')}@{host}"))
    return BiLogin(role=role, password=password, url=url)
