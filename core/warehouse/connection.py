"""Where the warehouse is: `DATABASE_URL` when set, else the embedded server."""

from __future__ import annotations

from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

import psycopg2
from psycopg2.extensions import parse_dsn

from core.settings import Settings
from core.warehouse.embedded import EmbeddedPostgres


def embedded_server(settings: Settings) -> EmbeddedPostgres:
    return EmbeddedPostgres(settings.home / "pg")


def warehouse_url(settings: Settings) -> str:
    """The warehouse URL, starting the embedded server first when no DATABASE_URL is set."""
    if settings.database_url:
        return settings.database_url
    return embedded_server(settings).ensure_running().url("tidemark")


def dagster_storage_url(settings: Settings) -> str:
    """Dagster's run/event storage: its own database on the embedded server, or DATABASE_URL."""
    if settings.database_url:
        return settings.database_url
    return embedded_server(settings).ensure_running().url("dagster")


def display_url(url: str) -> str:
    """The URL with its password masked, for logs and the UI."""
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


def libpq_params(url: str) -> dict[str, str]:
    """host/port/user/password/dbname of a URL (socket URLs included), for dbt and GX."""
    params = parse_dsn(url)
    return {
        "host": params.get("host", "localhost"),
        "port": params.get("port", "5432"),
        "user": params.get("user", ""),
        "password": params.get("password", ""),
        "dbname": params.get("dbname", ""),
    }


class WarehouseUnavailable(Exception):
    """The warehouse cannot be reached: one line naming host, port and database, never the password."""

    def __init__(self, url: str, error: Exception):
        params = libpq_params(url)
        reason = (str(error).strip().splitlines() or ["no answer"])[0]
        if params["password"]:
            reason = reason.replace(params["password"], "***")
        super().__init__(f"cannot reach the warehouse at {params['host']}:{params['port']} "
                         f"(database {params['dbname']}): {reason}")


@contextmanager
def connect(url: str, autocommit: bool = False):
    try:
        conn = psycopg2.connect(url, application_name="tidemark")
    except psycopg2.OperationalError as error:
        raise WarehouseUnavailable(url, error) from None
    conn.autocommit = autocommit
    try:
        yield conn
    finally:
        conn.close()
