"""Community raw → staging → intermediate → marts with real dbt, compared with the simulator's truth.

The raw tables are created here with the shape community ingestion lands (if they do not exist yet) and
filled by a small test-only loader: lines in delivery order, those that are not JSON objects skipped,
first delivery of each message_id kept.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from simulator.community import write_files

ROOT = Path(__file__).parents[2]
START, END, SEED = "2026-11-02T00:00:00+00:00", "2026-11-07T00:00:00+00:00", 5
FAULTS = {"duplicates": 25, "late": 12, "malformed": 6, "unknown_events": 9}
SELECT = ["staging.community", "intermediate.community", "marts.community"]

DDL = """
create schema if not exists raw;
create table if not exists raw.community_events (
    message_id text primary key, type text, event text, user_id text, anonymous_id text,
    event_at timestamptz, sent_at timestamptz, received_at timestamptz, context jsonb, properties jsonb,
    traits jsonb, source_file text, source_line int, run_id text, loaded_at timestamptz
);
create table if not exists raw.community_reference (
    community_id text primary key, payload jsonb, fetched_at timestamptz
);
"""


def _context(ctx: dict) -> dict:
    ua = ctx.get("user_agent") or ""
    out = {k: v for k, v in ctx.items() if k not in ("ip", "user_agent")}
    out["ip"] = hashlib.sha256(str(ctx.get("ip")).encode()).hexdigest()[:16]
    out["user_agent"] = {"device_class": "mobile" if ("Mobile" in ua or "Android" in ua) else "desktop",
                         "browser_family": ua.split("/", 1)[0]}
    return out


def _load(runtime, manifest) -> None:
    rows, skipped = [], 0
    for rel in manifest.files:
        for n, line in enumerate((manifest.landing / rel).read_text(encoding="utf-8").splitlines(), start=1):
            try:
                ev = json.loads(line)
            except json.JSONDecodeError:
                ev = None
            if not isinstance(ev, dict):
                skipped += 1
                continue
            rows.append((ev["message_id"], ev["type"], ev.get("event"), ev.get("user_id"), ev.get("anonymous_id"),
                         ev["timestamp"], ev["sent_at"], ev["received_at"], json.dumps(_context(ev["context"])),
                         json.dumps(ev.get("properties")) if "properties" in ev else None,
                         json.dumps(ev.get("traits")) if "traits" in ev else None, rel, n))
    assert skipped == FAULTS["malformed"]
    communities = json.loads((manifest.landing / manifest.reference).read_text(encoding="utf-8"))
    with runtime.connect() as conn, conn.cursor() as cur:
        cur.execute(DDL)
        for row in rows:  # delivery order: the first delivery wins
            cur.execute("insert into raw.community_events values (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, "
                        "%s, 'test-run', now()) on conflict (message_id) do nothing", row)
        for c in communities:
            cur.execute("insert into raw.community_reference values (%s, %s, now()) on conflict do nothing",
                        (c["community_id"], json.dumps(c)))
        conn.commit()


def _dbt(*args: str, target: Path) -> subprocess.CompletedProcess:
    tidemark = Path(sys.executable).with_name("tidemark")
    env = os.environ.copy() | {"TIDEMARK_DBT_PROJECT_DIR": str(ROOT / "dbt_project"),
                               "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run([str(tidemark), "dbt", "--", *args, "--target-path", str(target)],
                          env=env, capture_output=True, text=True, timeout=600)


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
    if build.returncode != 0 and "Parsing Error" in build.stdout and "community" not in build.stdout.lower():
        pytest.skip("another domain's dbt models do not parse: " + build.stdout[-600:])
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
    "alter table raw.community_events drop constraint community_events_pkey, alter message_id drop not null",
    """insert into raw.community_events select * from raw.community_events
       where type = 'track' and event = 'geo_access_attempt' limit 1""",
    """insert into raw.community_events (message_id, type, event, event_at, properties, context, loaded_at)
       values ('broken-1', 'bogus', 'community_activity', null, '{"activity_type": "dance", "community_id": "cm_001"}',
               '{}', now()),
              (null, 'track', 'geo_access_attempt', now(), '{"access_result": "maybe"}', '{}', now()),
              ('broken-2', 'track', 'geo_access_attempt', now(), '{"community_id": "cm_001"}', '{}', now()),
              ('broken-3', null, null, now(), '{}', '{}', now())""",
    "alter table raw.community_reference drop constraint community_reference_pkey, alter community_id drop not null",
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
