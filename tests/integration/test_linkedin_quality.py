"""LinkedIn GX suites on real landed data: clean simulator data passes, corrupt rows are quarantined."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from expectations.runner import validate_table
from expectations.suites.linkedin import post_stats as linkedin_post_stats
from expectations.suites.linkedin import posts as linkedin_posts
from expectations.suites.linkedin import share_daily as linkedin_share_daily
from ingestion.registry import all_raw_tables
from ingestion.runner import run_platform
from ingestion.sync import Window

CONFIG = Path(__file__).parents[1] / "fixtures" / "linkedin.yaml"
CORRUPT = {
    "linkedin_posts": {"id": "urn:li:share:1", "author": "urn:li:organization:1", "createdAt": "yesterday",
                       "lastModifiedAt": 1, "lifecycleState": "PUBLISHED", "publishedAt": 86400000},
    "linkedin_post_stats": {"post_urn": "urn:li:share:1", "organizationalEntity": "urn:li:organization:1",
                            "totalShareStatistics": {"impressionCount": -3, "likeCount": "1.2K", "engagement": 0.1}},
    "linkedin_share_daily": {"date": "2026-11-01", "timeRange": {},
                             "totalShareStatistics": {"impressionCount": 10, "clickCount": -1}},
}


@pytest.fixture
def landed(tidemark_env, monkeypatch):
    from tidemark.runtime import load_runtime

    monkeypatch.setenv("TIDEMARK_CONFIG", str(CONFIG))
    monkeypatch.setenv("TIDEMARK_INITIAL_SYNC_DAYS", "20")
    runtime = load_runtime()
    runtime.prepare_warehouse(all_raw_tables())
    run_platform(runtime, "linkedin", Window(date(2026, 11, 18), date(2026, 11, 20)), "run-1", sleep=lambda s: None)
    return runtime


@pytest.mark.parametrize("module", [linkedin_posts, linkedin_post_stats, linkedin_share_daily])
def test_clean_data_passes_and_corrupt_rows_are_quarantined(landed, module):
    spec = module.build()
    with landed.connect() as conn:
        clean = validate_table(landed.warehouse_url, conn, spec, "run-1", spec.table)
        assert clean.passed and clean.rows_checked > 0 and not clean.warnings, clean.outcomes
        with conn, conn.cursor() as cur:
            cur.execute(f"insert into raw.{spec.table} (account_id, record_key, payload, payload_hash, endpoint, "
                        "run_id, fetched_at) values ('10000001', 'bad', %s::jsonb, 'x', 'test', 'run-2', now())",
                        (json.dumps(CORRUPT[spec.table]),))
        dirty = validate_table(landed.warehouse_url, conn, spec, "run-2", spec.table)
    assert not dirty.passed and dirty.rows_checked == 1 and dirty.quarantined == 1
