"""Community orchestration with real Dagster, dbt and Postgres: seed 004's task schedules, the
partitioned day rebuild (a backfill over a range in one run), the landing-folder sensor."""

from __future__ import annotations

import json
import os
import time
from datetime import date

import dagster as dg
import pytest
from dagster._utils.schedules import is_valid_cron_string

from orchestration.community.jobs import REBUILD_JOB, TASKS, manifest_models, rebuild_args
from orchestration.community.partitions import days_between, lookback_range, run_days
from orchestration.community.sensors import SENSOR
from orchestration.partitions import partition_range_tags
from orchestration.transform.dbt import dbt_project
from simulator.community import extended_truth
from tests.helpers import definitions
from tidemark.runtime import WiredRuntime

SIM_START, SIM_END = "2026-11-18T00:00:00+00:00", "2026-11-20T00:00:00+00:00"  # the fixture's 2 history days


def test_every_community_mart_has_one_task_and_every_task_a_valid_schedule():
    defs = definitions()
    models = manifest_models(dbt_project().manifest_path)
    nodes = json.loads(dbt_project().manifest_path.read_text())["nodes"].values()
    community_marts = {n["name"] for n in nodes if n["resource_type"] == "model" and n["fqn"][1:3] == ["marts", "community"]}
    assert {"mart_community_daily", "mart_error_logs"} <= community_marts
    owners = [mart for task in TASKS for mart in task.marts]
    assert len(owners) == len(set(owners))  # a mart belongs to one task
    assert community_marts <= set(owners), community_marts - set(owners)  # a new mart needs a task
    for task in TASKS:
        present = [mart for mart in task.marts if mart in models]
        if not present:  # its marts have not landed yet
            continue
        schedule = defs.resolve_schedule_def(f"community_{task.name}_schedule")
        assert is_valid_cron_string(schedule.cron_schedule) and schedule.cron_schedule == task.cron
        assert schedule.execution_timezone == "UTC"
        job = defs.resolve_job_def(task.job_name)
        selected = {key.path[1] for key in job.asset_layer.selected_asset_keys}
        assert set(present) <= selected and all(n.startswith(("stg_community", "int_community")) or n in present
                                                for n in selected), selected
    assert {t.cron for t in TASKS} == {"*/15 * * * *", "*/20 * * * *", "*/30 * * * *", "0 * * * *", "*/10 * * * *"}
    rebuild = defs.resolve_job_def(REBUILD_JOB)
    assert isinstance(rebuild.partitions_def, dg.DailyPartitionsDefinition)
    assert defs.resolve_schedule_def("community_rebuild_schedule").job_name == REBUILD_JOB
    assert defs.resolve_sensor_def(SENSOR).job_name == "ingest_community_job"


def test_partition_days_and_rebuild_args():
    assert days_between("2026-11-29", "2026-12-02") == ["2026-11-29", "2026-11-30", "2026-12-01", "2026-12-02"]
    with pytest.raises(ValueError, match="ends before"):
        days_between("2026-11-02", "2026-11-01")
    assert run_days(partition_range_tags("2026-11-01", "2026-11-02"), None) == ["2026-11-01", "2026-11-02"]
    assert run_days({}, "2026-11-05") == ["2026-11-05"]
    with pytest.raises(ValueError):
        run_days({}, None)
    assert lookback_range(date(2026, 11, 30)) == ("2026-11-27", "2026-11-29")
    args = rebuild_args("marts.community", ["2026-11-01"])
    given = json.loads(args[args.index("--vars") + 1])
    assert given["community_rebuild_days"] == ["2026-11-01"] and "community_events" in given  # Tidemark's vars kept


def _tick(sensor, cursor, resources):
    context = dg.build_sensor_context(cursor=cursor, resources=resources)
    result = sensor.evaluate_tick(context)
    return result.run_requests, result.skip_message, result.cursor


def test_landing_sensor_runs_once_per_new_file(tidemark_env, runtime):
    sensor = definitions().resolve_sensor_def(SENSOR)
    resources = {"tidemark": WiredRuntime()}
    landing = runtime.community_landing
    requests, skipped, cursor = _tick(sensor, None, resources)
    assert not requests and "no new file" in skipped and cursor is None  # empty landing folder
    first = landing / "events" / "2026-11-20" / "100000-000001.ndjson"
    first.parent.mkdir(parents=True)
    first.write_text("{}\n")
    requests, _, cursor = _tick(sensor, None, resources)
    first_key = requests[0].run_key
    assert len(requests) == 1 and json.loads(cursor)["path"] == "events/2026-11-20/100000-000001.ndjson"
    assert not _tick(sensor, cursor, resources)[0]  # nothing new since
    (landing / "events" / "2026-11-20" / "notes.txt").write_text("not an event file")
    assert not _tick(sensor, cursor, resources)[0]
    second = landing / "events" / "2026-11-20" / "110000-000002.ndjson.gz"
    second.write_bytes(b"")
    os.utime(second, ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))
    requests, _, newer = _tick(sensor, cursor, resources)
    assert len(requests) == 1 and requests[0].run_key != first_key
    assert json.loads(newer)["path"].endswith("000002.ndjson.gz")
    assert not _tick(sensor, newer, resources)[0]


def test_landing_sensor_skips_without_community(tidemark_env, tmp_path, monkeypatch):
    config = tmp_path / "no_community.yaml"
    config.write_text("workspace: {id: w, name: W, timezone: UTC, simulated: true}\nplatforms: {}\n")
    monkeypatch.setenv("TIDEMARK_CONFIG", str(config))
    sensor = definitions().resolve_sensor_def(SENSOR)
    requests, skipped, _ = _tick(sensor, None, {"tidemark": WiredRuntime()})
    assert not requests and "no community section" in skipped


def _rows(runtime, query):
    with runtime.connect() as conn, conn.cursor() as cur:
        cur.execute(query)
        return cur.fetchall()


def test_ingest_then_backfill_range_and_task_jobs_build_the_marts(tidemark_env, runtime):
    defs = definitions()
    instance = dg.DagsterInstance.ephemeral()
    assert defs.resolve_job_def("ingest_community_job").execute_in_process(instance=instance).success
    # the demo's landing grows with extend_files: its truth is what that delivered before SIM_END
    truth = extended_truth(SIM_START, SIM_END, seed=int(tidemark_env["TIDEMARK_SIM_SEED"]))

    # a backfill over a range: one run, the days passed to dbt as community_rebuild_days
    rebuild = defs.resolve_job_def(REBUILD_JOB)
    result = rebuild.execute_in_process(instance=instance, tags=partition_range_tags("2026-11-18", "2026-11-19"))
    assert result.success
    built = {e.asset_key.path[-1] for e in result.all_events if e.event_type_value == "ASSET_MATERIALIZATION"}
    assert {"mart_community_daily", "mart_geo_restriction", "mart_error_logs"} <= built
    logs = "\n".join(e.message or "" for e in instance.all_logs(result.run_id))
    assert "rebuilding 2 event day(s), 2026-11-18..2026-11-19" in logs
    got = {(c, d.isoformat()): (users, views, joins, attempts, blocked) for c, d, users, views, joins, attempts, blocked
           in _rows(runtime, "select community_id, day, active_users, community_views, community_joins, "
                             "geo_access_attempts, geo_blocked from marts.mart_community_daily")}
    want = {key: (v.active_members, v.page_views, v.joins, v.geo_attempts, v.geo_blocked)
            for key, v in truth.community_days.items()}
    assert got == want and want

    # a task job builds its marts (and the community views upstream), nothing else
    with runtime.connect() as conn, conn.cursor() as cur:
        cur.execute("drop table marts.mart_geo_restriction")
        conn.commit()
    geo = defs.resolve_job_def("community_geo_restriction_job").execute_in_process(instance=instance)
    assert geo.success
    materialized = {e.asset_key.path[-1] for e in geo.all_events if e.event_type_value == "ASSET_MATERIALIZATION"}
    assert "mart_geo_restriction" in materialized and "mart_community_daily" not in materialized
    assert _rows(runtime, "select sum(attempts), sum(blocked) from marts.mart_geo_restriction")[0] == (
        sum(v.geo_attempts for v in truth.community_days.values()),
        sum(v.geo_blocked for v in truth.community_days.values()))
