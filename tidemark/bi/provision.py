"""Provision a running Superset over REST: the read-only login, the database connection through it,
one dataset per mart it can read (described from the dbt docs), the charts and the dashboard."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from core.warehouse.connection import connect
from tidemark.bi.bundle import DATABASE_FILE, build_bundle, load_charts, mart_columns, mart_docs
from tidemark.bi.role import ROLE, BiLogin, grant_bi_role
from tidemark.bi.superset import SupersetClient


@dataclass(frozen=True)
class Provisioned:
    dashboard_url: str
    datasets: int
    charts: dict[str, int]  # chart file name -> Superset chart id
    login: BiLogin  # the rotated login (its password: for the caller's tests, never printed)


def _masked_uri(bi_url: str) -> str:
    """postgresql+psycopg2://role:XXXXXXXXXX@host/db: Superset's own placeholder for 'password given apart'."""
    parts = urlsplit(bi_url)
    user, host = parts.netloc.rsplit("@", 1)
    netloc = f"{user.split(':', 1)[0]}:XXXXXXXXXX@{host}"
    return urlunsplit(parts._replace(scheme="postgresql+psycopg2", netloc=netloc))


def provision(client: SupersetClient, admin_url: str, manifest: Path, role: str = ROLE) -> Provisioned:
    login = grant_bi_role(admin_url, role)  # a fresh password each time: re-provisioning rotates it
    with connect(login.url) as conn:
        marts = mart_columns(conn)  # what the role can read is what gets a dataset
    bundle = build_bundle(_masked_uri(login.url), marts, mart_docs(manifest))
    passwords = {DATABASE_FILE: login.password}
    # The dashboard import never overwrites what it references, so each layer is imported with overwrite.
    for kind in ("database", "dataset", "chart", "dashboard"):
        client.import_bundle(kind, bundle, passwords)
    charts = {}
    for chart in load_charts():
        found = client.find("chart", "slice_name", chart.config["slice_name"])
        if found is None:
            raise RuntimeError(f"chart {chart.name!r} is missing after the import")
        detail = client.get(f"/api/v1/chart/{found['id']}")["result"]
        datasource_id = _datasource_id(client, chart.dataset)
        client.put(f"/api/v1/chart/{found['id']}", {"query_context": json.dumps(chart.query_context(datasource_id)),
                                                    "query_context_generation": True})
        charts[chart.name] = detail["id"]
    dashboard = client.find("dashboard", "slug", "tidemark")
    base = str(client.http.base_url).rstrip("/")
    return Provisioned(dashboard_url=f"{base}/superset/dashboard/{dashboard['slug'] if dashboard else 'tidemark'}/",
                       datasets=len(marts), charts=charts, login=login)


def _datasource_id(client: SupersetClient, table: str) -> int:
    found = client.find("dataset", "table_name", table)
    if found is None:
        raise RuntimeError(f"dataset marts.{table} is missing after the import")
    return found["id"]

