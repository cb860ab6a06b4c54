"""Warehouse writers do not run over each other, and runs cut off mid-way do not stay STARTED.

- Two dbt builds launched through the Dagster instance at once both succeed: the dbt asset takes
  the transform lock, so the second waits (two builds together fail with "relation ... already
  exists" on dbt's temporary relations).
- Runs of a `tidemark run` that was killed are marked failed by the next one.
- `tidemark db stop` refuses while a run holds the warehouse.
- Run starts at once (several ingestion runs) prepare the warehouse without colliding on the
  account registry or on the BI logins' policies.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import dagster as dg
import pytest

from core.settings import PROJECT_ROOT, load_settings
from core.warehouse.connection import warehouse_url
from core.warehouse.locks import PIPELINE, TRANSFORM, advisory_lock
from ingestion.registry import all_raw_tables
from orchestration.tags import LAUNCHER_TAG
from tidemark.cli import main
from tidemark.dagster_home import prepare_dagster_home
from tidemark.pipeline import LAUNCHER, sweep_abandoned_runs

SMALL = "fqn:tidemark.staging"  # the staging views are enough for two builds to collide


@pytest.fixture
def instance(runtime, monkeypatch):
    monkeypatch.setenv("DAGSTER_HOME", "")
    prepare_dagster_home(runtime.settings)
    runtime.prepare_warehouse(all_raw_tables())
    with dg.DagsterInstance.get() as instance:
        yield instance


def waiting_for(runtime, name: str) -> int:
    """Sessions queued on the advisory lock `name` (not granted yet)."""
    with runtime.connect() as conn, conn.cursor() as cur:
        cur.execute("select count(*) from pg_locks where locktype = 'advisory' and not granted "
                    "and objid = hashtext(%s)::oid", (name,))
        return cur.fetchone()[0]


def test_two_dbt_builds_at_once_both_succeed(runtime, instance):
    """Two processes, as two runs launched from the UI or by schedules would be."""
    command = [sys.executable, "-m", "tests.integration.materialize_models"]
    with advisory_lock(runtime.warehouse_url, TRANSFORM, wait=False):  # both start while the lock is held
        builds = [subprocess.Popen([*command, f"build_{n}", SMALL], cwd=PROJECT_ROOT, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True) for n in (1, 2)]
        # both processes start, reach the dbt step and queue for the lock (however busy the machine)
        deadline = time.monotonic() + 600
        while waiting_for(runtime, TRANSFORM) < 2 and time.monotonic() < deadline:
            assert [build.poll() for build in builds] == [None, None]
            time.sleep(1)
        assert waiting_for(runtime, TRANSFORM) == 2
    outputs = [build.communicate(timeout=900)[0] for build in builds]
    assert [build.returncode for build in builds] == [0, 0], [output[-3000:] for output in outputs]
    assert all("waiting for tidemark.transform" in output for output in outputs)
    assert not any("already exists" in output for output in outputs)


def test_run_starts_at_once_prepare_the_warehouse_without_colliding(runtime, instance):
    errors = []

    def start():
        try:
            for _ in range(8):
                runtime.prepare_warehouse(all_raw_tables())  # registry delete+insert, stamps, policies
        except Exception as error:  # noqa: BLE001 — collected: a thread's exception is the assertion
            errors.append(repr(error))

    threads = [threading.Thread(target=start) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with runtime.connect() as conn, conn.cursor() as cur:
        cur.execute("select count(*) from ops.workspace_accounts")
        assert cur.fetchone()[0] == len([a for p in runtime.workspace.platforms for a in runtime.workspace.accounts(p)])


def test_runs_of_a_killed_tidemark_run_are_marked_failed(runtime, instance):
    job = dg.define_asset_job("noop_job", selection=dg.AssetSelection.all())

    @dg.asset
    def noop():
        return 1

    defs = dg.Definitions(assets=[noop], jobs=[job])
    run = instance.create_run_for_job(defs.resolve_job_def("noop_job"), tags={LAUNCHER_TAG: LAUNCHER})
    instance.handle_run_event(run.run_id, dg.DagsterEvent(
        event_type_value="PIPELINE_START", job_name=run.job_name, event_specific_data=None))
    assert instance.get_run_by_id(run.run_id).status == dg.DagsterRunStatus.STARTED
    assert sweep_abandoned_runs(instance) == [f"noop_job (run {run.run_id[:8]})"]
    assert instance.get_run_by_id(run.run_id).status == dg.DagsterRunStatus.FAILURE
    assert sweep_abandoned_runs(instance) == []


def test_db_stop_refuses_while_a_run_holds_the_warehouse(tidemark_env, monkeypatch, tmp_path, capsys):
    monkeypatch.delenv("DATABASE_URL")  # the embedded server under TIDEMARK_HOME
    assert main(["db", "start"]) == 0
    capsys.readouterr()
    url = warehouse_url(load_settings())
    with advisory_lock(url, PIPELINE, wait=False):
        assert main(["db", "stop"]) == 3
        assert "a run is using the warehouse" in capsys.readouterr().err
        assert main(["db", "status"]) == 0 and "running" in capsys.readouterr().out
    assert main(["db", "stop"]) == 0
    assert "stopped" in capsys.readouterr().out
