"""Incremental community models and the raw cleanup, with real ingestion, real dbt and real Postgres.

The simulator's files are landed in two stages (its `late` fault holds events back two days, so the second
stage carries events of days already built); the incremental result is compared with `--full-refresh`,
with a build from scratch and with the simulator's truth. The cleanup must never delete a day a rollup
lacks, and the marts must read the same after it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import dagster as dg
import pytest

from core.warehouse.schema import migrate
from ingestion.community import LocalFolder, ingest_landing, load_reference
from ingestion.community.cleanup import cleanup_raw_events, cleanup_resolved_errors
from orchestration.community.cleanup import cleanup_defs, community_cleanup, community_error_cleanup
from simulator.community import write_files
from tidemark.runtime import WiredRuntime

START, END, SEED = "2026-11-02T00:00:00+00:00", "2026-11-07T00:00:00+00:00", 7
FAULTS = {"late": 15, "late_days": 2, "duplicates": 5}
SELECT = ["staging.community", "intermediate.community", "marts.community"]
# Bookkeeping columns: when a row last changed, not what it says.
BOOKKEEPING = {"loaded_at"}


def _dbt(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    tidemark = Path(sys.executable).with_name("tidemark")
    result = subprocess.run([str(tidemark), "dbt", "--", "run", "--select", *SELECT, *args,
                             "--target-path", str(tmp_path / "target")], capture_output=True, text=True, timeout=900)
    return result


def _run(tmp_path: Path, *args: str) -> None:
    result = _dbt(tmp_path, *args)
    assert result.returncode == 0, result.stdout[-4000:]


def _ingest(runtime, landing: Path, run_id: str):
    source = LocalFolder(landing)
    with runtime.connect() as conn:
        migrate(conn, [])
        load_reference(conn, source)
        return ingest_landing(conn, source, run_id, runtime.settings.model_copy(update={"ip_mode": "truncate"}))


def _query(runtime, sql: str, params=None) -> list[tuple]:
    with runtime.connect() as conn, conn.cursor() as cur:
        cur.execute(sql, params)
        rows = cur.fetchall() if cur.description else []
        conn.commit()
        return rows


INCREMENTAL = ["int_community__errors", "int_community__first_joins", "int_community__hourly",
               "int_community__member_days", "int_community__registrations", "int_community__sessions",
               "mart_community_daily", "mart_community_platform_daily", "mart_community_user_daily", "mart_error_logs",
               "mart_geo_restriction", "mart_system_metrics"]


def _tables(runtime) -> list[str]:
    """The incremental community tables (every one the macro built keeps a watermark)."""
    models = [row[0] for row in _query(runtime, "select model from ops.community_build_state order by 1")]
    assert models == INCREMENTAL, ", ".join(models)
    return [f"{'marts' if model.startswith('mart_') else 'staging'}.{model}" for model in models]


def _snapshot(runtime, tables: list[str]) -> dict[str, list[tuple]]:
    out = {}
    for table in tables:
        schema, name = table.split(".")
        columns = [row[0] for row in _query(runtime, "select column_name from information_schema.columns "
                                                     "where table_schema = %s and table_name = %s "
                                                     "order by ordinal_position", (schema, name))
                   if row[0] not in BOOKKEEPING]
        listed = ", ".join(columns)
        out[table] = _query(runtime, f"select {listed} from {table} order by {listed}")
    return out


def _same(got: dict, want: dict) -> None:
    for table in want:
        assert got[table] == want[table], f"{table}: {len(got[table])} rows vs {len(want[table])}"


def _stage(all_files: Path, landing: Path, days: list[str]) -> None:
    for day in days:
        shutil.copytree(all_files / "events" / day, landing / "events" / day)
    shutil.copytree(all_files / "reference", landing / "reference", dirs_exist_ok=True)


@pytest.fixture
def simulated(tidemark_env, runtime, tmp_path):
    manifest = write_files(tmp_path / "all", START, END, SEED, communities=3, members=50, faults=FAULTS)
    return runtime, manifest, tmp_path


def _drop_and_build(runtime, tmp_path, tables: list[str]) -> None:
    for table in tables:
        _query(runtime, f"drop table {table} cascade")
    _query(runtime, "delete from ops.community_build_state")
    _run(tmp_path)


def test_late_events_folded_incrementally_equal_full_refresh_and_scratch(simulated):
    runtime, manifest, tmp_path = simulated
    landing = tmp_path / "landing"
    _stage(manifest.landing, landing, ["2026-11-02", "2026-11-03", "2026-11-04"])
    _ingest(runtime, landing, "stage-1")
    _run(tmp_path)
    first = _snapshot(runtime, ["marts.mart_community_daily"])["marts.mart_community_daily"]
    _stage(manifest.landing, landing, ["2026-11-05", "2026-11-06"])
    _ingest(runtime, landing, "stage-2")
    # the late fault delivered events of already built days in the second stage
    late_days = _query(runtime, "select distinct (event_at at time zone 'UTC')::date from raw.community_events "
                                "where run_id = 'stage-2' and event_at < '2026-11-05' order by 1")
    assert late_days, "no late event in the second stage: the test would prove nothing"
    _run(tmp_path)
    tables = _tables(runtime)
    incremental = _snapshot(runtime, tables)
    assert incremental["marts.mart_community_daily"] != first  # the second build did something

    _run(tmp_path, "--full-refresh")
    _same(_snapshot(runtime, tables), incremental)
    _drop_and_build(runtime, tmp_path, tables)
    _same(_snapshot(runtime, tables), incremental)

    # and against the simulator's own recount
    truth = manifest.truth
    got = {(c, d.isoformat()): (active, new, views, joins) for c, d, active, new, views, joins in _query(
        runtime, "select community_id, day, active_users, new_users, community_views, community_joins "
                 "from marts.mart_community_daily")}
    assert got == {key: (v.active_members, v.new_members, v.page_views, v.joins)
                   for key, v in truth.community_days.items()}


def _late_line(day: str, message_id: str) -> str:
    at = f"{day}T12:00:00+00:00"
    return json.dumps({"message_id": message_id, "type": "page", "user_id": "usr_late_visitor",
                       "timestamp": at, "sent_at": at, "received_at": "2026-11-07T08:00:00+00:00",
                       "properties": {"path": "/", "title": "Home"}, "context": {}})


def test_cleanup_never_deletes_what_a_rollup_lacks(simulated):
    runtime, manifest, tmp_path = simulated
    landing = manifest.landing
    _ingest(runtime, landing, "load-1")
    raw_count = _query(runtime, "select count(*) from raw.community_events")[0][0]
    models = ["int_community__sessions", "mart_community_daily"]
    today = date(2026, 11, 7)
    with runtime.connect() as conn:  # loaded, never built: nothing goes
        report = cleanup_raw_events(conn, today=today, retention_days=3, models=models)
    assert report.blocked and not report.days_deleted
    assert _query(runtime, "select count(*) from raw.community_events")[0][0] == raw_count

    _run(tmp_path)
    tables = _tables(runtime)
    models = [table.split(".")[1] for table in tables]
    built = _snapshot(runtime, tables)
    # an event for 11-03 arrives after the build: 11-03 must wait, 11-02 (built whole) may go
    late = landing / "events" / "2026-11-06" / "zz-late.ndjson"
    late.write_text(_late_line("2026-11-03", "late-after-build") + "\n")
    _ingest(runtime, landing, "load-2")
    with runtime.connect() as conn:
        report = cleanup_raw_events(conn, today=today, retention_days=3, models=models)
    assert report.days_deleted == [date(2026, 11, 2)] and list(report.waiting) == [date(2026, 11, 3)]
    assert report.events_deleted > 0 and _query(runtime, "select day, events_deleted from ops.community_compacted_days") \
        == [(date(2026, 11, 2), report.events_deleted)]
    assert _query(runtime, "select count(*) from raw.community_events "
                           "where event_at < '2026-11-03'")[0][0] == 0

    _run(tmp_path)  # folds the late event into 11-03; 11-02 is not recomputed from its (gone) raw
    folded = _snapshot(runtime, tables)
    day_rows = "select * from marts.mart_community_platform_daily where day = %s"
    assert _query(runtime, day_rows, ("2026-11-02",)) == [
        row for row in built["marts.mart_community_platform_daily"] if row[0] == date(2026, 11, 2)]
    assert folded["marts.mart_community_platform_daily"] != built["marts.mart_community_platform_daily"]

    with runtime.connect() as conn:
        report = cleanup_raw_events(conn, today=today, retention_days=3, models=models)
    assert report.days_deleted == [date(2026, 11, 3)] and not report.waiting
    with runtime.connect() as conn:  # idempotent
        again = cleanup_raw_events(conn, today=today, retention_days=3, models=models)
    assert again.events_deleted == 0 and not again.days_deleted
    _run(tmp_path)
    _same(_snapshot(runtime, tables), folded)
    _run(tmp_path, "--full-refresh")  # recomputes what raw still has, keeps the compacted days
    _same(_snapshot(runtime, tables), folded)

    # an event for a compacted day is refused with its reason, not folded into partial raw
    (landing / "events" / "2026-11-06" / "zz-too-late.ndjson").write_text(
        _late_line("2026-11-02", "too-late-1") + "\n")
    result = _ingest(runtime, landing, "load-3")
    assert (result.rows_loaded, result.rejected) == (0, 1)
    assert _query(runtime, "select reason from ops.quarantine where check_name = 'community_too_late'") == [
        ("too late: day 2026-11-02 already compacted by the raw cleanup",)]
    assert _query(runtime, "select count(*) from raw.community_events where message_id = 'too-late-1'")[0][0] == 0
    _run(tmp_path)
    _same(_snapshot(runtime, tables), folded)


def test_resolved_error_details_removed_only_once_counted(simulated):
    runtime, manifest, tmp_path = simulated
    _ingest(runtime, manifest.landing, "load-1")
    now = datetime.fromisoformat("2026-11-07T00:00:00+00:00")
    with runtime.connect() as conn:  # mart_error_logs never built: nothing is touched
        assert cleanup_resolved_errors(conn, now=now, retention_days=1).logs_trimmed == 0
    _run(tmp_path)
    resolved = _query(runtime, "select count(*) from staging.int_community__errors "
                               "where is_resolved and resolved_at < '2026-11-06'")[0][0]
    assert resolved > 0
    before = _snapshot(runtime, ["marts.mart_error_logs", "marts.mart_community_platform_daily"])
    with runtime.connect() as conn:
        report = cleanup_resolved_errors(conn, now=now, retention_days=1)
    assert report.logs_trimmed == resolved and report.waiting == 0
    assert _query(runtime, "select count(*) from raw.community_events where event = 'error_log' "
                           "and (context is not null or properties ? 'stack_trace')")[0][0] > 0  # open ones keep theirs
    with runtime.connect() as conn:
        assert cleanup_resolved_errors(conn, now=now, retention_days=1).logs_trimmed == 0  # idempotent
    _run(tmp_path, "--full-refresh")  # every day recomputed from the trimmed raw: the same numbers
    _same(_snapshot(runtime, list(before)), before)


def test_rebuild_days_var_recomputes_erased_days(simulated):
    runtime, manifest, tmp_path = simulated
    _ingest(runtime, manifest.landing, "load-1")
    _run(tmp_path)
    tables = _tables(runtime)
    user, days = _query(runtime, """
        select user_id, array_agg(distinct (event_at at time zone 'UTC')::date::text)
        from raw.community_events
        where user_id is not null
        group by user_id
        having count(*) filter (where event = 'error_log') = 0 and count(*) filter (where event = 'follow') = 0
        order by count(*) desc limit 1""")[0]
    # what `tidemark privacy erase-user` does: the user's raw events and state rows go, the days are rebuilt
    _query(runtime, "delete from raw.community_events where user_id = %s", (user,))
    for table in ("staging.int_community__first_joins", "staging.int_community__registrations"):
        _query(runtime, f"delete from {table} where user_id = %s", (user,))
    before = _snapshot(runtime, tables)
    _run(tmp_path)
    assert _snapshot(runtime, ["marts.mart_community_daily"]) == {
        "marts.mart_community_daily": before["marts.mart_community_daily"]}  # nothing new loaded: stale
    _run(tmp_path, "--vars", json.dumps({"community_rebuild_days": days}))
    erased = _snapshot(runtime, tables)
    assert erased["marts.mart_community_daily"] != before["marts.mart_community_daily"]
    _drop_and_build(runtime, tmp_path, tables)
    _same(_snapshot(runtime, tables), erased)

    bad = _dbt(tmp_path, "--vars", json.dumps({"community_rebuild_days": ["11/03/2026"]}))
    assert bad.returncode != 0 and "is not a YYYY-MM-DD day" in bad.stdout


def test_cleanup_assets_in_dagster(simulated, monkeypatch):
    """The scheduled assets, materialized by Dagster with the workspace's retention settings."""
    runtime, manifest, tmp_path = simulated
    config = tmp_path / "tidemark.yaml"
    config.write_text(f"workspace: {{id: t, name: T}}\ncommunity:\n  landing: {manifest.landing}\n  simulated: false\n"
                      "  late_event_days: 1\n  raw_retention_days: 14\n  resolved_error_retention_days: 1\n")
    monkeypatch.setenv("TIDEMARK_CONFIG", str(config))  # SIM_NOW 2026-11-20: days before 11-06 are old
    _ingest(runtime, manifest.landing, "load-1")
    _run(tmp_path)
    marts = _snapshot(runtime, [table for table in _tables(runtime) if table.startswith("marts.")])
    result = dg.materialize([community_cleanup, community_error_cleanup], resources={"tidemark": WiredRuntime()})
    assert result.success
    raw = result.asset_materializations_for_node("ops__community_cleanup")[0].metadata
    assert raw["days_deleted"].value == 4 and raw["events_deleted"].value > 0 and raw["blocked"].value == ""
    assert _query(runtime, "select min(event_at) >= '2026-11-06' from raw.community_events")[0][0]
    errors = result.asset_materializations_for_node("ops__community_error_cleanup")[0].metadata
    assert errors["logs_trimmed"].value > 0
    _run(tmp_path)
    _same(_snapshot(runtime, list(marts)), marts)

    crons = {schedule.job_name: schedule.cron_schedule for schedule in cleanup_defs().schedules}
    assert crons == {"community_cleanup_job": "0 2 * * *", "community_error_cleanup_job": "30 4 * * *"}
