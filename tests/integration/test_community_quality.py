"""The GX suite of raw.community_events (real GX, real Postgres) and every simulator fault's outcome.

Each rule is made to fail by a crafted row and names exactly that row; error rules hold the event
in ops.quarantine (staging leaves it out), the unknown-names warning holds nothing. The faults go
through the real ingestion and real dbt: duplicates accepted once, malformed lines quarantined at
load, unknown names warned, late and skewed events folded into their own day (a clock beyond the
skew tolerance held), a burst accepted — and the marts equal the simulator's truth of what was kept.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import dagster as dg

from core.warehouse.schema import migrate
from expectations.community.events import CHECK_NAME, CLOCK_SKEW_TOLERANCE, RULES, UNKNOWN_NAMES_RULE
from expectations.community.runner import validate_events
from ingestion.community import LocalFolder, ingest_landing, load_reference
from simulator.community import Truth, write_files
from tests.helpers import definitions

START, END, SEED = "2026-11-02T00:00:00+00:00", "2026-11-06T00:00:00+00:00", 9
FAULTS = {"duplicates": 10, "late": 8, "late_days": 2, "clock_skew": 16, "skew_minutes": 150, "malformed": 4,
          "unknown_events": 6, "burst": True}
SELECT = ["staging.community", "intermediate.community", "marts.community"]


def _rows(runtime, query, *args):
    with runtime.connect() as conn, conn.cursor() as cur:
        cur.execute(query, args)
        return cur.fetchall()


def _execute(runtime, sql, *args):
    with runtime.connect() as conn, conn.cursor() as cur:
        cur.execute(sql, args)
        conn.commit()


def _land(runtime, tmp_path, faults=None):
    manifest = write_files(tmp_path / "landing", START, END, SEED, communities=3, members=50, faults=faults)
    source = LocalFolder(manifest.landing)
    with runtime.connect() as conn:
        migrate(conn, [])
        load_reference(conn, source)
        result = ingest_landing(conn, source, "load-1", runtime.settings.model_copy(update={"ip_mode": "truncate"}))
    return manifest, result


def _validate(runtime, run_id="check-1"):
    with runtime.connect() as conn:
        return validate_events(runtime.warehouse_url, conn, run_id)


def test_clean_events_pass_without_warnings(tidemark_env, runtime, tmp_path):
    _, result = _land(runtime, tmp_path)
    outcome, names = _validate(runtime)
    assert outcome.rows_checked == result.rows_loaded > 1000
    assert outcome.passed and not outcome.warnings and not names and outcome.quarantined == 0
    assert len(outcome.outcomes) == len(RULES)
    again, _ = _validate(runtime, "check-2")  # the watermark: a row is validated once
    assert again.rows_checked == 0 and again.passed


BROKEN = "alter table raw.community_events drop constraint community_events_pkey, alter message_id drop not null, " \
         "drop constraint community_events_type_check"
ROW = ("insert into raw.community_events (message_id, type, event, user_id, anonymous_id, event_at, received_at, "
       "context, properties, source_file, source_line, run_id) values (%s, %s, %s, %s, %s, %s, %s, '{}', "
       "'{\"community_id\": \"cm_001\"}', 'crafted.ndjson', 1, 'crafted')")


def test_every_rule_fails_on_its_row_and_errors_are_held(tidemark_env, runtime, tmp_path):
    _land(runtime, tmp_path)
    assert _validate(runtime)[0].passed
    _execute(runtime, BROKEN)
    now = datetime.fromisoformat(_rows(runtime, "select now()::text")[0][0])
    existing, existing_at = _rows(runtime, "select message_id, event_at from raw.community_events "
                                           "where type = 'track' and event = 'follow' limit 1")[0]
    just_inside = now + CLOCK_SKEW_TOLERANCE - timedelta(minutes=1)
    crafted = [  # (message_id, type, event, user_id, anonymous_id, event_at, received_at)
        ("", "track", "follow", "u_x", None, now, now),
        (existing, "track", "follow", "u_x", None, existing_at, existing_at),
        ("bad-type", "screen", None, "u_x", None, now, now),
        ("no-actor", "track", "follow", None, None, now, now),
        ("far-past", "track", "follow", "u_x", None, now - timedelta(days=6 * 365), now),
        ("ahead", "track", "follow", "u_x", None, now + CLOCK_SKEW_TOLERANCE + timedelta(minutes=5), now),
        ("skew-within-tolerance", "track", "follow", "u_x", None, just_inside, now),
        ("unknown-name", "track", "badge_awarded", "u_x", None, now, now),
    ]
    for row in crafted:
        _execute(runtime, ROW, *row)
    outcome, names = _validate(runtime)
    failing = {o.name: o for o in outcome.outcomes if not o.success}
    want = {
        "message_id is present": [""],
        "message_id is unique (one row per event)": [existing],
        "type is track, page or identify": ["bad-type"],
        "user_id or anonymous_id is present (every event has an actor)": ["no-actor"],
        f"timestamp is at most {5 * 365 + 1} days before now (not in the far past)": ["far-past"],
        "timestamp is at most 60 minutes (clock-skew tolerance) ahead of its receipt and of now": ["ahead"],
        UNKNOWN_NAMES_RULE: ["unknown-name"],
    }
    assert {name: o.examples for name, o in failing.items()} == want  # each rule, and only its row
    assert {r.description for r in RULES} == set(want)
    assert names == {"badge_awarded": 1}
    assert not outcome.passed and outcome.quarantined == 6
    held = dict(_rows(runtime, "select record_key, reason from ops.quarantine where check_name = %s", CHECK_NAME))
    assert set(held) == {"", existing, "bad-type", "no-actor", "far-past", "ahead"}  # a warning holds nothing
    assert "clock-skew tolerance" in held["ahead"] and "actor" in held["no-actor"]
    recorded = _rows(runtime, "select passed, severity, failed_rows from ops.check_results where check_name = %s "
                              "order by check_result_id", CHECK_NAME)
    assert recorded[-1] == (False, "error", 6)
    # idempotent: nothing new to validate, nothing held twice
    assert _validate(runtime, "check-3")[0].rows_checked == 0
    assert _rows(runtime, "select count(*) from ops.quarantine where check_name = %s", CHECK_NAME)[0][0] == 6


def _dbt(*args, target: Path):
    tidemark = Path(sys.executable).with_name("tidemark")
    return subprocess.run([str(tidemark), "dbt", "--", *args, "--target-path", str(target)],
                          capture_output=True, text=True, timeout=900)


def _lines(manifest) -> list[str]:
    return [line for rel in manifest.files for line in (manifest.landing / rel).read_text().splitlines()]


def test_each_simulator_fault_has_its_outcome(tidemark_env, runtime, tmp_path):
    manifest, result = _land(runtime, tmp_path, FAULTS)
    log = manifest.faults
    # duplicates: accepted once; malformed: quarantined at load with file and line
    assert result.duplicates == FAULTS["duplicates"] and result.rejected == FAULTS["malformed"]
    assert _rows(runtime, "select count(*), count(distinct message_id) from raw.community_events "
                          "where message_id = any(%s)", log.duplicates)[0] == (10, 10)
    shape = _rows(runtime, "select record_key from ops.quarantine where check_name = 'community_event_shape'")
    assert len(shape) == 4 and all(":" in key for (key,) in shape)
    outcome, names = _validate(runtime)
    # unknown names: loaded and warned, not held
    assert sum(names.values()) == FAULTS["unknown_events"] and outcome.warnings
    # clock skew: beyond the tolerance ahead of receipt -> held; otherwise accepted as sent
    events = {e["message_id"]: e for e in map(_json, _lines(manifest)) if isinstance(e, dict)}
    ahead = {m for m in log.clock_skew if _at(events[m], "timestamp") - _at(events[m], "received_at")
             > CLOCK_SKEW_TOLERANCE}
    assert ahead and len(ahead) < len(log.clock_skew)  # both outcomes occur with skew_minutes=150
    held = {key for (key,) in _rows(runtime, "select record_key from ops.quarantine where check_name = %s",
                                    CHECK_NAME)}
    assert held == ahead and {o.name for o in outcome.errors} == {RULES[5].description}
    assert log.burst_events > 0 and log.late

    build = _dbt("build", "--select", *SELECT, target=tmp_path / "target")
    assert build.returncode == 0, build.stdout[-4000:]
    # late (2 days) and skewed events are counted on the day of their own timestamp; held ones are out
    days = dict(_rows(runtime, "select message_id, day::text from staging.stg_community__events "
                               "where message_id = any(%s)", [*log.late, *log.clock_skew]))
    assert set(days) == set(log.late) | set(log.clock_skew) - ahead
    assert all(days[m] == _at(events[m], "timestamp").date().isoformat() for m in days)
    assert all(_at(events[m], "received_at").date() > _at(events[m], "timestamp").date() for m in log.late)
    # the marts equal the truth of what was kept (burst included, held events excluded)
    truth = Truth.from_lines(line for line in _lines(manifest) if _json(line, {}).get("message_id") not in ahead)
    got = {(c, d.isoformat()): (users, views, joins, attempts) for c, d, users, views, joins, attempts in _rows(
        runtime, "select community_id, day, active_users, community_views, community_joins, geo_access_attempts "
                 "from marts.mart_community_daily")}
    assert got == {k: (v.active_members, v.page_views, v.joins, v.geo_attempts) for k, v in truth.community_days.items()}


def _json(line: str, default=None):
    try:
        value = json.loads(line)
    except json.JSONDecodeError:
        return default
    return value if isinstance(value, dict) or default is None else default


def _at(event: dict, key: str) -> datetime:
    return datetime.fromisoformat(event[key]).astimezone(UTC)


def test_suite_runs_as_a_blocking_asset_check(tidemark_env):
    defs = definitions()
    spec = next(c for c in defs.resolve_asset_graph().asset_check_keys if c.name == CHECK_NAME)
    assert spec.asset_key == dg.AssetKey(["raw", "community_events"])
    names = {c.name for c in defs.resolve_asset_graph().asset_check_keys}
    assert "community_known_events" not in names  # folded into the suite's warning rule
    result = defs.resolve_job_def("ingest_community_job").execute_in_process(instance=dg.DagsterInstance.ephemeral())
    evaluations = {e.check_name: e for e in result.get_asset_check_evaluations()}
    assert evaluations[CHECK_NAME].passed and evaluations[CHECK_NAME].metadata["rows_checked"].value > 0
