"""Every raw table has a GX suite, and clean simulated data passes it without a warning.

One single-account workspace per platform keeps this fast; the fault tests
(`test_quality_faults.py`) show what each suite catches.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from expectations.runner import validate_table
from expectations.suites import all_suites
from ingestion.registry import all_raw_tables, connectors
from ingestion.runner import run_platform
from ingestion.sync import Window

FIXTURES = Path(__file__).parents[1] / "fixtures"
WINDOW = Window(date(2026, 11, 18), date(2026, 11, 20))


def land(monkeypatch, platform: str, run_id: str = "run-1"):
    """Sync one simulated account of `platform` (10 days of history) into a fresh warehouse."""
    from tidemark.runtime import load_runtime

    monkeypatch.setenv("TIDEMARK_CONFIG", str(FIXTURES / f"quality_{platform}.yaml"))
    monkeypatch.setenv("TIDEMARK_INITIAL_SYNC_DAYS", "10")
    runtime = load_runtime()
    runtime.prepare_warehouse(all_raw_tables())
    run_platform(runtime, platform, WINDOW, run_id, sleep=lambda s: None)
    return runtime


def test_every_raw_table_has_a_suite():
    covered = {suite.table for suite in all_suites()}
    assert set(all_raw_tables()) - covered == set()


@pytest.mark.parametrize("platform", sorted(connectors()))
def test_clean_data_passes_every_suite_without_warnings(tidemark_env, monkeypatch, platform):
    runtime = land(monkeypatch, platform)
    with runtime.connect() as conn:
        for suite in (s for s in all_suites() if s.platform == platform):
            outcome = validate_table(runtime.warehouse_url, conn, suite, "run-1", f"raw/{suite.table}")
            assert outcome.passed, (suite.table, outcome.errors)
            assert not outcome.warnings, (suite.table, outcome.warnings)
