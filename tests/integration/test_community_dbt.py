"""Community raw → staging → intermediate → marts with real dbt, compared with the simulator's truth.

The simulator's files go through the real ingestion (ingestion/community) into the raw tables.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from core.warehouse.schema import migrate
from ingestion.community import LocalFolder, ingest_landing, load_reference
from simulator.community import write_files

ROOT = Path(__file__).parents[2]
START, END, SEED = "2026-11-02T00:00:00+00:00", "2026-11-07T00:00:00+00:00", 5
FAULTS = {"duplicates": 25, "late": 12, "malformed": 6, "unknown_events": 9}
SELECT = ["staging.community", "intermediate.community", "marts.community"]

def _load(runtime, manifest) -> None:
    """The real file ingestion (manifest, dedupe on message_id, quarantine of malformed lines)."""
    source = LocalFolder(manifest.landing)
    with runtime.connect() as conn:
        migrate(conn, [])
        load_reference(conn, source)
        result = ingest_landing(conn, source, "test-run", runtime.settings.model_copy(update={"ip_mode": "truncate"}))
    assert result.rejected == FAULTS["malformed"] and result.duplicates == FAULTS["duplicates"]


def _dbt(*args: str, target: Path) -> subprocess.CompletedProcess:
    tidemark = Path(sys.executable).with_name("tidemark")
    return subprocess.run([str(tidemark), "dbt", "--", *args, "--target-path", str(target)],
                          capture_output=True, text=True, timeout=600)


def _rows(runtime, query: str) -> list[tuple]:
    with runtime.connect() as conn, conn.cursor() as cur:
        cur.execute(query)
        return cur.fetchall()


def _execute(runtime, sql: str) -> None:
    with runtime.connect() as conn, conn.cursor() as cur:
        cur.execute(sql)
        conn.commit()


@pytest.fixture
def built(tidemark_env, runtime, tmp_path):
    manifest = write_files(tmp_path / "landing", START, END, SEED, communities=4, members=60, faults=FAULTS)
    _load(runtime, manifest)
    build = _dbt("build", "--select", *SELECT, target=tmp_path / "target")
    assert build.returncode == 0, build.stdout[-4000:]
    return runtime, manifest, tmp_path


def test_marts_match_simulator_truth(built):
    runtime, manifest, _ = built
    truth = manifest.truth
    assert truth.community_days and truth.days
    got = {(c, d.isoformat()): rest for c, d, *rest in _rows(runtime, """
        select community_id, day, active_users, new_users, community_views, community_joins, geo_access_attempts,
               geo_blocked, geo_allowed, traveler_access, geo_bypasses
        from marts.mart_community_daily""")}
    want = {key: (v.active_members, v.new_members, v.page_views, v.joins, v.geo_attempts, v.geo_blocked,
                  v.geo_allowed, v.traveler_attempts, v.geo_bypasses) for key, v in truth.community_days.items()}
    assert {k: tuple(v) for k, v in got.items()} == want
    days = {d.isoformat(): (api, mean, errors, resolved) for d, api, mean, errors, resolved in _rows(runtime, """
        select day, api_requests, avg_response_time_ms, error_count, errors_resolved
        from marts.mart_community_platform_daily""")}
    for day, t in truth.days.items():
        api, mean, errors, resolved = days[day]
        assert (api, errors, resolved) == (t.api_requests, t.errors, t.errors_resolved), day
        assert (mean is None) == (t.mean_response_ms is None), day
        if mean is not None:
            assert float(mean) == pytest.approx(t.mean_response_ms, abs=5e-5), day
    assert all(days[d][0] == 0 and days[d][2] == 0 for d in set(days) - set(truth.days))
    # geo by location adds up to the community x day numbers; presence and sessions are plausible
    assert _rows(runtime, "select sum(attempts), sum(blocked) from marts.mart_geo_restriction")[0] == (
        sum(v.geo_attempts for v in truth.community_days.values()),
        sum(v.geo_blocked for v in truth.community_days.values()))
    peak, avg = _rows(runtime, "select max(peak_online_members), max(avg_online_members) "
                               "from marts.mart_community_daily")[0]
    assert peak >= 1 and 0 < avg <= peak
    assert _rows(runtime, "select count(*) from staging.stg_community__events where not is_known_event")[0][0] == \
        FAULTS["unknown_events"]
    bounces, sessions = _rows(runtime, "select count(*) filter (where is_bounce), count(*) "
                                       "from staging.int_community__sessions")[0]
    assert 0 < bounces < sessions


# Each break makes specific data tests fail; every data test on the community models must be among them.
BREAKS = [
    # staging / intermediate (views over raw): duplicate and NULL keys, unknown enum values, NULL times
    # (the raw table's own constraints are dropped first: dbt's tests are the second line of defence)
    "alter table raw.community_events drop constraint community_events_pkey, alter message_id drop not null, "
    "drop constraint community_events_type_check, alter type drop not null, alter event_at drop not null, "
    "alter source_file drop not null, alter source_line drop not null, alter run_id drop not null",
    """insert into raw.community_events select * from raw.community_events
       where type = 'track' and event = 'geo_access_attempt' limit 1""",
    """insert into raw.community_events (message_id, type, event, event_at, properties, context, loaded_at)
       values ('broken-1', 'bogus', 'community_activity', null, '{"activity_type": "dance", "community_id": "cm_001"}',
               '{}', now()),
              (null, 'track', 'geo_access_attempt', now(), '{"access_result": "maybe"}', '{}', now()),
              ('broken-2', 'track', 'geo_access_attempt', now(), '{"community_id": "cm_001"}', '{}', now()),
              ('broken-3', null, null, now(), '{}', '{}', now())""",
    "alter table raw.community_reference drop constraint community_reference_pkey, alter community_id drop not null, "
    "alter payload drop not null",
    """insert into raw.community_reference select null, '{}', now()
       union all select community_id, payload, fetched_at from raw.community_reference where community_id = 'cm_001'""",
    # marts (tables): duplicate and NULL keys, out-of-range rates, inconsistent counts
    "insert into marts.mart_community_daily select * from marts.mart_community_daily limit 1",
    "update marts.mart_community_daily set new_users = active_users + 1, geo_blocked = geo_blocked + 1 "
    "where (community_id, day) in (select community_id, day from marts.mart_community_daily limit 1)",
    "insert into marts.mart_community_platform_daily select * from marts.mart_community_platform_daily limit 1",
    "insert into marts.mart_community_platform_daily (day) values (null)",
    "update marts.mart_community_platform_daily set bounce_rate = 101",
    "insert into marts.mart_geo_restriction select * from marts.mart_geo_restriction limit 1",
    "update marts.mart_geo_restriction set effectiveness_pct = -1",
]


def test_every_data_test_can_fail(built):
    runtime, _, tmp_path = built
    for sql in BREAKS:
        _execute(runtime, sql)
    target = tmp_path / "target-broken"
    result = _dbt("test", "--select", *SELECT, "--exclude", "test_type:unit", target=target)
    assert result.returncode != 0
    run = json.loads((target / "run_results.json").read_text())
    statuses = {r["unique_id"]: r["status"] for r in run["results"] if r["unique_id"].startswith("test.")}
    assert statuses, result.stdout[-2000:]
    not_failing = sorted(uid for uid, status in statuses.items() if status != "fail")
    assert not not_failing, (not_failing, result.stdout[-3000:])
