"""The Facebook GX suites on synced data: clean data passes, a corrupt row is quarantined."""

from __future__ import annotations

import json

from expectations.runner import validate_table
from expectations.suites import all_suites
from ingestion.registry import all_raw_tables
from ingestion.runner import run_platform
from tests.integration.test_facebook_connector import REQUESTED, _env, scalar


def test_suites_pass_clean_data_and_quarantine_corrupt_rows(tidemark_env, monkeypatch):
    runtime = _env(monkeypatch)
    runtime.prepare_warehouse(all_raw_tables())
    run_platform(runtime, "facebook", REQUESTED, "run-1", sleep=lambda s: None)
    suites = {s.table: s for s in all_suites() if s.platform == "facebook"}
    core = {"facebook_posts", "facebook_page_insights", "facebook_post_insights"}
    assert core <= set(suites)  # every Facebook raw table has a suite; these three carry most data
    with runtime.connect() as conn:
        for suite in suites.values():
            outcome = validate_table(runtime.warehouse_url, conn, suite, "run-1", suite.table)
            assert outcome.passed, outcome.errors
            assert outcome.rows_checked > 0 or suite.table not in core
        bad = {"id": "101000000000001_1", "created_time": "1999-01-01T00:00:00+0000",
               "reactions": {"summary": {"total_count": -3}}}
        with conn, conn.cursor() as cur:
            cur.execute("insert into raw.facebook_posts (account_id, record_key, payload, payload_hash, endpoint, "
                        "run_id, fetched_at) values ('101000000000001', 'x', %s::jsonb, 'h', 'posts', 'r', now())",
                        (json.dumps(bad),))
        outcome = validate_table(runtime.warehouse_url, conn, suites["facebook_posts"], "run-2", "facebook_posts")
    assert not outcome.passed and outcome.quarantined == 1
    assert scalar(runtime, "select count(*) from ops.quarantine where raw_table = 'facebook_posts'") == 1
