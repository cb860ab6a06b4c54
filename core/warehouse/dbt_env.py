"""The environment dbt reads: profiles.yml's TIDEMARK_PG_* (from the warehouse URL), the community's
workspace (TIDEMARK_COMMUNITY_WORKSPACE: whose BI login may read the community marts) and its time
zone (TIDEMARK_WORKSPACE_TIMEZONE: local weekday and hour of the community marts)."""

from __future__ import annotations

import os

from core.warehouse.connection import libpq_params
from core.workspace import WorkspaceConfig


def dbt_env(url: str, workspace: WorkspaceConfig | None = None) -> dict[str, str]:
    params = libpq_params(url)
    owner = None
    if workspace is not None:
        owner = workspace.community_workspace() if workspace.community else workspace.workspace
    return {
        "TIDEMARK_PG_HOST": params["host"],
        "TIDEMARK_PG_PORT": str(params["port"]),
        "TIDEMARK_PG_USER": params["user"],
        "TIDEMARK_PG_PASSWORD": params["password"],
        "TIDEMARK_PG_DBNAME": params["dbname"],
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "TIDEMARK_WORKSPACE_TIMEZONE": owner.timezone if owner else "UTC",
        "TIDEMARK_COMMUNITY_WORKSPACE": owner.id if owner and workspace.community else "",
    }


def apply_dbt_env(url: str, workspace: WorkspaceConfig | None = None) -> None:
    """dbt runs as a subprocess of this one and inherits these variables."""
    os.environ.update(dbt_env(url, workspace))
