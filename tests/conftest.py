"""Shared fixtures: a real Postgres (embedded, or DATABASE_URL), one fresh database per test.

Tests never touch the internet: platform APIs come from the simulator on loopback.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import psycopg2
import pytest

FIXTURES = Path(__file__).parent / "fixtures"
SIM_NOW = "2026-11-20T12:00:00+00:00"


@pytest.fixture(scope="session")
def pg_server_url(tmp_path_factory) -> str:
    """URL of a maintenance database on a server the test session may create databases on."""
    if os.environ.get("TIDEMARK_TEST_DATABASE_URL"):
        return os.environ["TIDEMARK_TEST_DATABASE_URL"]
    from core.warehouse.embedded import EmbeddedPostgres

    server = EmbeddedPostgres(tmp_path_factory.mktemp("pg"))
    state = server.ensure_running()
    yield state.url("postgres")
    server.stop()


@pytest.fixture
def database_url(pg_server_url) -> str:
    """A fresh, empty database for one test (dropped afterwards)."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = psycopg2.connect(pg_server_url)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'create database "{name}"')
    url = pg_server_url.rsplit("/", 1)[0] + f"/{name}"
    yield url
    with admin.cursor() as cur:
        cur.execute(f'drop database if exists "{name}" with (force)')
    admin.close()


@pytest.fixture
def tidemark_env(monkeypatch, tmp_path, database_url) -> dict[str, str]:
    """Environment of a Tidemark run in isolation: own database, home, reports, fixed clock."""
    env = {
        "DATABASE_URL": database_url,
        "TIDEMARK_HOME": str(tmp_path / "home"),
        "TIDEMARK_REPORTS_DIR": str(tmp_path / "reports"),
        "TIDEMARK_CONFIG": str(FIXTURES / "tidemark.yaml"),
        "TIDEMARK_SIM_NOW": SIM_NOW,
        "TIDEMARK_SIM_SEED": "11",
        "TIDEMARK_SIM_HISTORY_DAYS": "130",
        "TIDEMARK_INITIAL_SYNC_DAYS": "130",
    }
    for key in list(os.environ):
        if key.startswith("TIDEMARK_") and key not in env:
            monkeypatch.delenv(key)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return env


@pytest.fixture
def runtime(tidemark_env):
    from tidemark.runtime import load_runtime

    return load_runtime()


# The longest modules first: with two workers (make test), a long module that starts last leaves one
# worker idle for its whole length (the Makefile turns off xdist's own by-test-count order).
# Measured with --durations; order among the rest is unchanged.
SLOW_FIRST = ("test_fault_matrix.py", "test_pipeline.py", "test_privacy_gdpr.py", "test_concurrency.py",
              "test_community_marts.py", "test_community_dbt.py", "test_reports.py", "test_social_retention.py",
              "test_bi.py", "test_community_reports.py",
              "test_community_cleanup.py", "test_community_privacy.py", "test_community_orchestration.py",
              "test_community_quality.py")


def pytest_collection_modifyitems(items) -> None:
    def rank(item) -> int:
        name = item.path.name
        return SLOW_FIRST.index(name) if name in SLOW_FIRST else len(SLOW_FIRST)

    items.sort(key=rank)  # stable: the other modules keep their order
