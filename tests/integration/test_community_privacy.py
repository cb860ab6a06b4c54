"""Privacy of the community domain, end to end on a real warehouse (real ingestion, dbt, Dagster).

- `tidemark privacy erase-user`: afterwards no text or jsonb column of any table or view holds the
  member's id, and the aggregate marts equal the simulator's truth of the events without them;
  refused while a run holds the warehouse; a rerun does nothing; a failed rebuild is finished by the
  next call; `--community` erases one community's events only.
- No clear IP address anywhere in the warehouse or in the run's logs.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import dagster as dg
from psycopg2 import sql

from core.warehouse.locks import PIPELINE, advisory_lock
from core.warehouse.schema import migrate
from ingestion.community import LocalFolder, ingest_landing, load_reference
from orchestration.community.jobs import REBUILD_JOB
from orchestration.partitions import partition_range_tags
from simulator.community import Truth, write_files
from tests.helpers import definitions
from tidemark.cli import main
from tidemark.runtime import load_runtime

START, END, SEED = "2026-11-02T00:00:00+00:00", "2026-11-05T00:00:00+00:00", 21
SELECT = ["staging.community", "intermediate.community", "marts.community"]
SCHEMAS = ("raw", "staging", "marts", "ops")
TEXT_TYPES = ("text", "character varying", "jsonb", "json", "ARRAY")
IPV4 = r"[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}"


def _rows(runtime, query, *args):
    with runtime.connect() as conn, conn.cursor() as cur:
        cur.execute(query, args)
        return cur.fetchall()


def _text_columns(runtime) -> list[tuple[str, str, str]]:
    return _rows(runtime, "select table_schema, table_name, column_name from information_schema.columns "
                          "where table_schema = any(%s) and data_type = any(%s) order by 1, 2, 3",
                 list(SCHEMAS), list(TEXT_TYPES))


def _holding(runtime, pattern: str) -> dict[str, int]:
    """Column -> rows whose text matches `pattern` (POSIX regex), over every table and view of the schemas."""
    found = {}
    with runtime.connect() as conn, conn.cursor() as cur:
        for schema, table, column in _text_columns(runtime):
            cur.execute(sql.SQL("select count(*) from {} where {}::text ~ %s").format(
                sql.Identifier(schema, table), sql.Identifier(column)), (pattern,))
            if (n := cur.fetchone()[0]):
                found[f"{schema}.{table}.{column}"] = n
    return found


def _lines(manifest) -> list[str]:
    return [line for rel in manifest.files for line in (manifest.landing / rel).read_text().splitlines()]


def _event(line: str) -> dict:
    try:
        value = json.loads(line)
    except json.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}


def _dbt_build(target: Path) -> None:
    tidemark = Path(sys.executable).with_name("tidemark")
    build = subprocess.run([str(tidemark), "dbt", "--", "build", "--select", *SELECT, "--target-path", str(target)],
                           capture_output=True, text=True, timeout=900)
    assert build.returncode == 0, build.stdout[-4000:]


def _daily(runtime) -> dict:
    return {(c, d.isoformat()): (users, views, joins, attempts) for c, d, users, views, joins, attempts in _rows(
        runtime, "select community_id, day, active_users, community_views, community_joins, geo_access_attempts "
                 "from marts.mart_community_daily")}


def _truth(lines) -> dict:
    return {k: (v.active_members, v.page_views, v.joins, v.geo_attempts)
            for k, v in Truth.from_lines(lines).community_days.items()}


def _erase(capsys, *args) -> tuple[int, str]:
    code = main(["privacy", "erase-user", *args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_erase_user_leaves_nothing_and_the_aggregates_follow(tidemark_env, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("TIDEMARK_IP_HASH_KEY", "test-ip-hash-key-0123456789")
    runtime = load_runtime()
    manifest = write_files(tmp_path / "landing", START, END, SEED, communities=3, members=40,
                           faults={"malformed": 30, "duplicates": 5})
    source = LocalFolder(manifest.landing)
    with runtime.connect() as conn:
        migrate(conn, [])
        load_reference(conn, source)
        ingest_landing(conn, source, "load-1", runtime.settings)
    _dbt_build(tmp_path / "target")
    # a per-user table as a per-user mart would be (found by its user_id column, whatever its name)
    with runtime.connect() as conn, conn.cursor() as cur:
        cur.execute("create table marts.test_user_days as select user_id, community_id, day, count(*) as events "
                    "from staging.stg_community__events where user_id is not null group by 1, 2, 3")
        conn.commit()
    # the member: one whose line sits in quarantine, who has events and whom someone follows
    quarantined = " ".join(text for (text,) in _rows(runtime, "select payload::text from ops.quarantine"))
    followed = {t for (t,) in _rows(runtime, "select properties ->> 'target_user_id' from raw.community_events "
                                             "where event = 'follow'")}
    candidates = [u for (u,) in _rows(runtime, "select user_id from raw.community_events where user_id is not null "
                                               "group by 1 order by count(*) desc, 1")
                  if u in followed and re.search(rf"\b{u}\b", quarantined)]
    assert candidates, "no member with a quarantined line and a follower: change SEED or faults"
    user = candidates[0]
    pattern = rf"\m{user}\M"
    before = _holding(runtime, pattern)
    assert {"raw.community_events.user_id", "ops.quarantine.payload", "marts.test_user_days.user_id",
            "raw.community_events.properties"} <= set(before), before
    assert _daily(runtime) == _truth(_lines(manifest))

    with advisory_lock(runtime.warehouse_url, PIPELINE, wait=False):  # a run holds the warehouse
        code, out = _erase(capsys, "--user-id", user)
    assert code == 3 and "nothing was erased" in out and _holding(runtime, pattern) == before

    code, out = _erase(capsys, "--user-id", user)
    assert code == 0, out
    assert "raw.community_events: " in out and "marts.test_user_days: " in out and "rebuilt" in out
    assert _holding(runtime, pattern) == {}  # nowhere: raw, quarantine, staging views, marts, ops (audit)
    assert _daily(runtime) == _truth(line for line in _lines(manifest) if _event(line).get("user_id") != user)
    audit = _rows(runtime, "select subject_hash, requested_by, counts, rebuild_days, rebuilt_at "
                           "from ops.privacy_erasures")
    assert len(audit) == 1 and audit[0][0].startswith("hmac-sha256:") and audit[0][4] is not None
    assert audit[0][2]["raw.community_events"] == sum(_event(line).get("user_id") == user for line in
                                                      {_event(x).get("message_id"): x for x in
                                                       _lines(manifest)}.values())

    code, out = _erase(capsys, "--user-id", user)  # idempotent
    assert code == 0 and "nothing to do" in out and len(_rows(runtime, "select 1 from ops.privacy_erasures")) == 1

    # --community: one community's events; a failed rebuild is finished by the next call
    other, community = _rows(runtime, """
        select user_id, min(properties ->> 'community_id') from raw.community_events
        where user_id is not null and type <> 'identify' group by 1
        having count(distinct properties ->> 'community_id') > 1 order by 1 limit 1""")[0]
    project = runtime.settings.dbt_project_dir
    monkeypatch.setenv("TIDEMARK_DBT_PROJECT_DIR", str(tmp_path / "no-dbt-project"))
    code, out = _erase(capsys, "--user-id", other, "--community", community)
    assert code == 4 and "run the command again" in out
    monkeypatch.setenv("TIDEMARK_DBT_PROJECT_DIR", str(project))
    code, out = _erase(capsys, "--user-id", other, "--community", community)
    assert code == 0 and "finishing the rebuild" in out and "rebuilt" in out, out
    left = dict(_rows(runtime, "select coalesce(properties ->> 'community_id', type), count(*) from raw.community_events "
                               "where user_id = %s group by 1", other))
    assert community not in left and "identify" in left and len(left) >= 2
    assert _rows(runtime, "select count(*) from ops.privacy_erasures where rebuilt_at is null")[0][0] == 0


def test_no_clear_ip_in_the_warehouse_or_the_logs(tidemark_env, runtime, monkeypatch, capfd):
    monkeypatch.setenv("TIDEMARK_IP_HASH_KEY", "test-ip-hash-key-0123456789")
    defs = definitions()
    instance = dg.DagsterInstance.ephemeral()
    ingest = defs.resolve_job_def("ingest_community_job").execute_in_process(instance=instance)
    rebuild = defs.resolve_job_def(REBUILD_JOB).execute_in_process(
        instance=instance, tags=partition_range_tags("2026-11-18", "2026-11-19"))
    assert ingest.success and rebuild.success
    landing = runtime.community_landing
    ips = {_event(line).get("context", {}).get("ip") for path in landing.rglob("*.ndjson")
           for line in path.read_text().splitlines()} - {None}
    assert len(ips) > 50 and all(re.fullmatch(IPV4, ip) for ip in ips)
    seen = set()
    with runtime.connect() as conn, conn.cursor() as cur:
        for schema, table, column in _text_columns(runtime):
            cur.execute(sql.SQL("select distinct match[1] from {}, regexp_matches({}::text, %s, 'g') as match").format(
                sql.Identifier(schema, table), sql.Identifier(column)), (f"({IPV4})",))
            seen |= {row[0] for row in cur.fetchall()}
    assert not (seen & ips), sorted(seen & ips)[:5]
    hashed = _rows(runtime, "select count(*) filter (where ip_hash ~ '^[0-9a-f]{64}$'), count(ip_hash) "
                            "from staging.stg_community__events")[0]
    assert hashed[0] == hashed[1] > 0  # every address is a keyed hash
    logs = [f"{e.message} {e.dagster_event!r}" for run in (ingest, rebuild) for e in instance.all_logs(run.run_id)]
    out = capfd.readouterr()
    text = "\n".join(logs) + out.out + out.err
    assert len(text) > 1000 and not {ip for ip in ips if ip in text}
