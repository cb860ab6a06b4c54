"""DAGSTER_HOME under TIDEMARK_HOME, with run/event/schedule storage in Postgres.

dagster.yaml names the environment variable holding the storage URL, never the URL itself,
so the password stays out of files and out of the UI's configuration page.
"""

from __future__ import annotations

import os
from pathlib import Path

from core.settings import Settings
from core.warehouse.connection import dagster_storage_url
from orchestration.tags import PLATFORM_TAG, TRANSFORM_TAG

STORAGE_ENV = "TIDEMARK_DAGSTER_PG_URL"

DAGSTER_YAML = f"""\
# Written by Tidemark (tidemark/dagster_home.py); edits are overwritten.
storage:
  postgres:
    postgres_url:
      env: {STORAGE_ENV}
run_coordinator:
  module: dagster.core.run_coordinator
  class: QueuedRunCoordinator
  config:
    max_concurrent_runs: 2
    # Runs that write the same tables wait for each other (the dbt asset also takes an advisory lock).
    tag_concurrency_limits:
      - key: {TRANSFORM_TAG}
        limit: 1
      - key: {PLATFORM_TAG}
        value:
          applyLimitPerUniqueValue: true
        limit: 1
# A run whose process died (killed, machine restarted) is marked failed instead of staying STARTED.
run_monitoring:
  enabled: true
  start_timeout_seconds: 180
  max_resume_run_attempts: 0
  poll_interval_seconds: 60
telemetry:
  enabled: false
"""


def prepare_dagster_home(settings: Settings) -> Path:
    """Create DAGSTER_HOME and point this process (and its children) at it."""
    home = settings.home / "dagster"
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists() or config.read_text() != DAGSTER_YAML:
        config.write_text(DAGSTER_YAML)
    os.environ["DAGSTER_HOME"] = str(home)
    # SQLAlchemy 2.1 maps plain postgresql:// to psycopg 3; Tidemark ships psycopg2.
    os.environ[STORAGE_ENV] = dagster_storage_url(settings).replace("postgresql://", "postgresql+psycopg2://", 1)
    return home
