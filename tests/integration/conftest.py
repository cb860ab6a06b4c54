"""Fixtures of the integration tests: `conn`, a migrated connection to the test's own database, and
`settings` with an IP hash key (the community ingestion tests; a module may define its own)."""

from __future__ import annotations

import psycopg2
import pytest

from core.settings import load_settings
from core.warehouse.schema import migrate


@pytest.fixture
def conn(tidemark_env):
    connection = psycopg2.connect(tidemark_env["DATABASE_URL"])
    migrate(connection, [])
    yield connection
    connection.close()


@pytest.fixture
def settings(tidemark_env, monkeypatch):
    monkeypatch.setenv("TIDEMARK_IP_HASH_KEY", "test-ip-hash-key-0123456789")
    return load_settings(_env_file=None)
