"""Community raw → staging → intermediate → marts with real dbt, compared with the simulator's truth.

The simulator's files go through the real ingestion (ingestion/community) into the raw tables.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from simulator.community import write_files
from simulator.community.contract import TRACK_EVENTS
from tests.integration.community_build import ENGAGEMENT_BREAKS, SELECT, load
from tests.integration.community_build import dbt as _dbt
from tests.integration.community_build import execute as _execute
from tests.integration.community_build import rows as _rows

ROOT = Path(__file__).parents[2]
START, END, SEED = "2026-11-02T00:00:00+00:00", "2026-11-07T00:00:00+00:00", 5
FAULTS = {"duplicates": 25, "late": 12, "malformed": 6, "unknown_events": 9}

def _load(runtime, manifest) -> None:
    load(runtime, manifest, FAULTS)


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


# --- system metrics and error logs (mart_system_metrics, mart_error_logs) -------------------------------------------

SYSTEM_BREAKS = [
    # int_community__errors and the other incremental state tables: duplicate and NULL keys
    "insert into staging.int_community__errors select * from staging.int_community__errors limit 1",
    "insert into staging.int_community__errors (error_id) values (null)",
    "insert into staging.int_community__sessions select * from staging.int_community__sessions limit 1",
    "insert into staging.int_community__sessions (session_key) values (null)",
    "insert into staging.int_community__first_joins select * from staging.int_community__first_joins limit 1",
    "insert into staging.int_community__first_joins (community_id) values (null)",
    "insert into staging.int_community__registrations select * from staging.int_community__registrations limit 1",
    "insert into staging.int_community__registrations (user_id) values (null)",
    # mart_system_metrics: duplicate key; unknown grain, zero samples, min > max (any metric_type is allowed)
    "insert into marts.mart_system_metrics select * from marts.mart_system_metrics limit 1",
    "insert into marts.mart_system_metrics (metric_type, grain, period_start, sample_count, mean_value, p50, p95, "
    "max_value, min_value) values ('bogus', 'week', '2026-11-03 00:00:00+00', 0, 5, 5, 5, 1, 9)",
    # mart_error_logs: duplicate key; unknown level, counts that do not add up, negative median
    "insert into marts.mart_error_logs select * from marts.mart_error_logs limit 1",
    "insert into marts.mart_error_logs (day, level, category, error_count, resolved_count, open_count, "
    "median_minutes_to_resolve, top_message) values ('2026-11-03', 'fatal', 'db', 1, 0, 5, -1, 'boom')",
]
# test_every_data_test_can_fail selects every community model, so these run there too (at call time).
BREAKS.extend(SYSTEM_BREAKS)
BREAKS.extend(ENGAGEMENT_BREAKS)  # user daily, activity, retention, stickiness (test_community_marts.py)


def _landed_events(manifest) -> list[dict]:
    """An independent recount's input: the written files in delivery order, malformed lines and non-objects skipped,
    first delivery of each message_id, unknown track names dropped."""
    seen: set[str] = set()
    out = []
    for rel in manifest.files:
        for line in (manifest.landing / rel).read_text(encoding="utf-8").splitlines():
            try:
                ev = json.loads(line)
            except json.JSONDecodeError:
                continue
            if not isinstance(ev, dict) or ev.get("message_id") in seen:
                continue
            seen.add(ev["message_id"])
            if ev.get("type") == "track" and ev.get("event") not in TRACK_EVENTS:
                continue
            out.append(ev)
    return out


def _utc(ev: dict):
    return datetime.fromisoformat(ev["timestamp"]).astimezone(UTC)


def _percentile(values: list[float], q: float) -> float:
    """percentile_cont: linear interpolation between the closest ranks."""
    xs = sorted(values)
    pos = q * (len(xs) - 1)
    lo = int(pos)
    return xs[lo] + (xs[min(lo + 1, len(xs) - 1)] - xs[lo]) * (pos - lo)


def test_error_logs_match_recount(built):
    runtime, manifest, _ = built
    events = _landed_events(manifest)
    resolved_at: dict[str, object] = {}
    for ev in events:
        if ev.get("event") == "error_resolved":
            at, eid = _utc(ev), ev["properties"]["error_id"]
            resolved_at[eid] = min(at, resolved_at.get(eid, at))
    groups: dict[tuple, list[dict]] = {}
    for ev in events:
        if ev.get("event") == "error_log":
            p = ev["properties"]
            groups.setdefault((_utc(ev).date(), p["level"], p["category"]), []).append(ev)
    assert groups and resolved_at
    want = {}
    for key, errs in groups.items():
        fixed = [e for e in errs if e["properties"]["error_id"] in resolved_at]
        messages: dict[str, int] = {}
        for e in errs:
            messages[e["properties"]["message"]] = messages.get(e["properties"]["message"], 0) + 1
        top = sorted(messages.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        want[key] = (len(errs), len(fixed), len(errs) - len(fixed), top)
    rows = _rows(runtime, """
        select day, level, category, error_count, resolved_count, open_count, top_message, median_minutes_to_resolve
        from marts.mart_error_logs""")
    got = {(d, lv, c): (n, r, o, top) for d, lv, c, n, r, o, top, _ in rows}
    assert got == want
    # per day: errors and resolved (by the error's day) summed over level x category
    per_day_want: dict = {}
    for (day, _, _), (n, r, _, _) in want.items():
        a, b = per_day_want.get(day, (0, 0))
        per_day_want[day] = (a + n, b + r)
    per_day_got = {d: (int(n), int(r)) for d, n, r in _rows(runtime, """
        select day, sum(error_count), sum(resolved_count) from marts.mart_error_logs group by 1""")}
    assert per_day_got == per_day_want
    # total errors agree with the platform-wide day mart (and the simulator's truth)
    assert sum(n for n, _ in per_day_want.values()) == sum(t.errors for t in manifest.truth.days.values())
    # median minutes to resolve
    for d, lv, c, *_, median in rows:
        errs = groups[(d, lv, c)]
        minutes = [(resolved_at[e["properties"]["error_id"]] - _utc(e)).total_seconds() / 60
                   for e in errs if e["properties"]["error_id"] in resolved_at]
        if not minutes:
            assert median is None, (d, lv, c)
        else:
            assert float(median) == pytest.approx(_percentile(minutes, 0.5), abs=0.011), (d, lv, c)


def test_system_metrics_match_recount(built):
    runtime, manifest, _ = built
    samples: dict[tuple, list[float]] = {}
    for ev in _landed_events(manifest):
        name, p = ev.get("event"), ev.get("properties") or {}
        if name == "system_metric":
            metric, value = p["metric_type"], float(p["value"])
        elif name == "api_request":
            metric, value = "response_time_ms", float(p["response_time_ms"])
        else:
            continue
        samples.setdefault((metric, _utc(ev).replace(minute=0, second=0, microsecond=0)), []).append(value)
    assert {m for m, _ in samples} == {"cpu_usage", "memory_usage", "db_query_ms", "queue_depth", "response_time_ms"}
    rows = _rows(runtime, """
        select metric_type, period_start, sample_count, max_value, min_value, mean_value, p50, p95
        from marts.mart_system_metrics where grain = 'hour'""")
    got = {(m, start): (n, float(mx)) for m, start, n, mx, *_ in rows}
    assert got == {key: (len(v), max(v)) for key, v in samples.items()}
    for m, start, _, _, mn, mean, p50, p95 in rows:
        v = samples[(m, start)]
        assert float(mn) == min(v)
        exact_mean = sum(Decimal(repr(x)) for x in v) / len(v)
        assert mean == exact_mean.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP), (m, start)
        # percentile_cont works in double precision before the round to 4 decimals
        assert float(p50) == pytest.approx(_percentile(v, 0.5), abs=5.1e-5), (m, start)
        assert float(p95) == pytest.approx(_percentile(v, 0.95), abs=5.1e-5), (m, start)
    # a system_metric every 5 minutes: 3 per 15 minutes, 12 per hour, 288 per whole day of the window
    by_grain = dict(_rows(runtime, """
        select grain, array_agg(distinct sample_count) from marts.mart_system_metrics
        where metric_type = 'cpu_usage' group by 1"""))
    assert by_grain == {"15 minutes": [3], "hour": [12], "day": [288]}
    assert _rows(runtime, """
        select count(distinct grain), sum(sample_count) filter (where grain = 'day'),
               sum(sample_count) filter (where grain = '15 minutes')
        from marts.mart_system_metrics where metric_type = 'response_time_ms'""")[0] == (
        3, sum(t.api_requests for t in manifest.truth.days.values()),
        sum(t.api_requests for t in manifest.truth.days.values()))

