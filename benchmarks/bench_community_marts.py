"""All community dbt models on ~10 M raw events: full build, then one more hour of events incrementally.

Data (stated, not hidden): the community simulator writes one week (`--members` members, 8 communities)
and the real file ingestion loads it; SQL then repeats that week back in time (`--weeks` copies, shifted
by whole weeks so weekday x hour patterns hold, message and error ids suffixed, loaded_at a few minutes
after each event) — the simulator alone writes ~12 k events/s here, too slow for 10 M. The extra hour
is the template's busiest hour, shifted to just after the latest event, loaded now.

    .venv/bin/python benchmarks/bench_community_marts.py [--members 3000] [--weeks 20]

Times `dbt run` of staging.community, intermediate.community and marts.community (tests not
included) on a throwaway embedded server. Target: incremental ≤ 5 % of the full build.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg2

from core.settings import load_settings
from core.warehouse.dbt_env import dbt_env
from core.warehouse.embedded import EmbeddedPostgres
from core.warehouse.schema import migrate
from ingestion.community import LocalFolder, ingest_landing, load_reference
from orchestration.transform.project import with_vars
from simulator.community import write_files

START, END = "2026-11-02T00:00:00+00:00", "2026-11-09T00:00:00+00:00"
SELECT = ["staging.community", "intermediate.community", "marts.community"]
ROOT = Path(__file__).parents[1]

# Earlier weeks: every template row again, `copy` weeks back; ids suffixed; loaded a few minutes after.
REPEAT = """
    insert into raw.community_events
    select
        template.message_id || ':w' || copy, template.type, template.event, template.user_id, template.anonymous_id,
        template.event_at - copy * interval '7 days', template.sent_at - copy * interval '7 days',
        template.received_at - copy * interval '7 days', template.context,
        case when template.properties ? 'error_id'
            then template.properties || jsonb_build_object('error_id', template.properties ->> 'error_id' || ':w' || copy)
            else template.properties end,
        template.traits, template.source_file, template.source_line, 'bench-repeat',
        template.event_at - copy * interval '7 days' + interval '3 minutes'
    from raw.community_events as template
    cross join generate_series(1, %(weeks)s) as copy
    where template.run_id = 'bench-template'
"""
# One more hour: the template's busiest hour again, right after the latest event, loaded now.
EXTRA_HOUR = """
    with busiest as (
        select date_trunc('hour', event_at) as hour from raw.community_events where run_id = 'bench-template'
        group by 1 order by count(*) desc limit 1
    ),
    shift as (
        select date_trunc('hour', (select max(event_at) from raw.community_events)) + interval '1 hour'
            - busiest.hour as by
        from busiest
    )
    insert into raw.community_events
    select
        template.message_id || ':extra', template.type, template.event, template.user_id, template.anonymous_id,
        template.event_at + shift.by, template.sent_at + shift.by, template.received_at + shift.by, template.context,
        case when template.properties ? 'error_id'
            then template.properties || jsonb_build_object('error_id', template.properties ->> 'error_id' || ':extra')
            else template.properties end,
        template.traits, template.source_file, template.source_line, 'bench-extra', now()
    from raw.community_events as template
    cross join shift
    cross join busiest
    where template.run_id = 'bench-template' and date_trunc('hour', template.event_at) = busiest.hour
"""


def dbt_run(url: str, target: Path, *extra: str) -> tuple[float, float]:
    """(wall seconds of the dbt process, seconds dbt spent running the models: without start-up and parse)."""
    env = os.environ | dbt_env(url) | {"DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    dbt = str(Path(sys.executable).parent / "dbt")
    project = ROOT / "dbt_project"
    command = [dbt, "run", "--project-dir", str(project), "--profiles-dir", str(project), "--target-path",
               str(target), "--select", *SELECT, *extra]
    started = time.perf_counter()
    result = subprocess.run(with_vars(command), env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"dbt failed:\n{result.stdout[-4000:]}")
    run = json.loads((target / "run_results.json").read_text())
    for node in sorted(run["results"], key=lambda node: -node["execution_time"]):
        print(f"    {node['unique_id'].split('.')[-1]:<36} {node['execution_time']:8.1f} s")
    return seconds, sum(node["execution_time"] for node in run["results"])


def count(conn, sql: str) -> int:
    with conn.cursor() as cur:
        cur.execute(sql)
        value = cur.fetchone()[0]
    conn.commit()
    return value


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=3000)
    parser.add_argument("--weeks", type=int, default=20, help="earlier copies of the simulated week")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="tidemark-bench-community-marts-"))
    server = EmbeddedPostgres(workdir / "pg")
    url = server.ensure_running().url()
    try:
        started = time.perf_counter()
        manifest = write_files(workdir / "landing", START, END, seed=3, communities=8, members=args.members)
        simulated_s = time.perf_counter() - started
        settings = load_settings(TIDEMARK_IP_MODE="truncate")
        conn = psycopg2.connect(url)
        migrate(conn, [])
        load_reference(conn, LocalFolder(manifest.landing))
        started = time.perf_counter()
        ingest_landing(conn, LocalFolder(manifest.landing), "bench-template", settings)
        ingest_s = time.perf_counter() - started
        template = count(conn, "select count(*) from raw.community_events")
        started = time.perf_counter()
        with conn.cursor() as cur:
            cur.execute(REPEAT, {"weeks": args.weeks})
            cur.execute("analyze raw.community_events")
        conn.commit()
        repeat_s = time.perf_counter() - started
        total = count(conn, "select count(*) from raw.community_events")
        print(f"template: {template:,} simulated events (one week, {args.members} members) — simulated in "
              f"{simulated_s:.0f} s, ingested in {ingest_s:.0f} s ({template / ingest_s:,.0f} rows/s)")
        print(f"repeated by SQL {args.weeks}x: {total:,} raw events in {repeat_s:.0f} s")

        full_s, full_models = dbt_run(url, workdir / "target")
        print(f"full build (all community models, from scratch): {full_s:.1f} s wall, {full_models:.1f} s in models")
        with conn.cursor() as cur:
            cur.execute(EXTRA_HOUR)
            extra = cur.rowcount
        conn.commit()
        incremental_s, incremental_models = dbt_run(url, workdir / "target")
        print(f"one more hour: {extra:,} events; incremental build: {incremental_s:.1f} s wall, "
              f"{incremental_models:.1f} s in models")
        print(f"ratio: {incremental_s / full_s:.1%} wall, {incremental_models / full_models:.1%} in models "
              f"(target ≤ 5 %; wall includes dbt's fixed start-up)")
        conn.close()
    finally:
        server.stop()
        shutil.rmtree(workdir, ignore_errors=True)  # ~7 GB of database at 10 M events


if __name__ == "__main__":
    main()
