"""The environment dbt reads: profiles.yml's TIDEMARK_PG_* (from the warehouse URL) and the
workspace's time zone (TIDEMARK_WORKSPACE_TIMEZONE: local weekday and hour of the community marts)."""

from __future__ import annotations

import os

from core.warehouse.connection import libpq_params


def dbt_env(url: str, timezone: str = "UTC") -> dict[str, str]:
    params = libpq_params(url)
    return {
        "TIDEMARK_PG_HOST": params["host"],
        "TIDEMARK_PG_PORT": str(params["port"]),
        "TIDEMARK_PG_USER": params["user"],
        "TIDEMARK_PG_PASSWORD": params["password"],
        "TIDEMARK_PG_DBNAME": params["dbname"],
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "TIDEMARK_WORKSPACE_TIMEZONE": timezone,
    }


def apply_dbt_env(url: str, timezone: str = "UTC") -> None:
    """dbt runs as a subprocess of this one and inherits these variables."""
    os.environ.update(dbt_env(url, timezone))
