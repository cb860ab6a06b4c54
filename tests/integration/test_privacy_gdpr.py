"""Workspaces, GDPR export and erase (`tidemark privacy export | erase`) on a real warehouse: one
pipeline run of two simulated YouTube channels in two workspaces (real ingestion, dbt, Dagster,
reports) shared by the module.

- workspaces: every raw, ops and mart row of an account carries its workspace; each workspace's
  report holds only its own account; a request for A under B's workspace is refused.

- export: the zip holds exactly the account's rows (counts equal to SQL counts made here), the
  reports that cover it, its registry entry, a manifest; never a token; the same bytes twice.
- erase of A: refused while a run holds the warehouse; then nothing of A (id, post ids, name) in a
  pg_dump of the whole database nor in any file under TIDEMARK_HOME and the reports dir; B's raw
  rows and mart rows unchanged; the audit row proves it with a keyed hash; a second erase is a
  no-op, audited too.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from psycopg2 import sql

from core.warehouse.embedded import _bin
from core.warehouse.locks import PIPELINE, advisory_lock
from tests.conftest import SIM_NOW
from tests.helpers import module_database
from tidemark.cli import main

A, A_NAME, B = "UCtestKitchen000000000001", "Test Kitchen", "UCtestTravel0000000000002"
WORKSPACES = f"""
workspaces:
  - id: testws
    name: Test Workspace
    timezone: Europe/Madrid
    simulated: true
    platforms:
      youtube: {{accounts: [{{id: {A}, name: {A_NAME}}}]}}
  - id: otherws
    name: Other Client
    timezone: America/New_York
    simulated: true
    reports: [weekly_performance]
    platforms:
      youtube: {{accounts: [{{id: {B}, name: Test Travel}}]}}
"""
START, END = date(2026, 11, 18), date(2026, 11, 20)
TOKENS = {A: "ya29.kitchen-refresh-token-secret", B: "ya29.travel-refresh-token-secret"}
KEY = Fernet.generate_key().decode()
COSTS = f"""workspace: testws
costs:
  - {{month: '2026-11', platform: youtube, account_id: {A}, currency: EUR, fixed: 100, per_post: 10}}
"""
ACCOUNT_TABLES = """
    select c.table_schema, c.table_name, c.column_name from information_schema.columns as c
    inner join information_schema.tables as t on (t.table_schema, t.table_name) = (c.table_schema, c.table_name)
    where t.table_type = 'BASE TABLE' and c.table_schema in ('raw', 'marts', 'ops')
        and c.column_name in ('account_id', 'account') order by 1, 2
"""


@pytest.fixture(scope="module")
def world(pg_server_url, tmp_path_factory):
    from tidemark.dagster_home import prepare_dagster_home
    from tidemark.pipeline import run_pipeline
    from tidemark.runtime import load_runtime

    tmp = tmp_path_factory.mktemp("gdpr")
    (tmp / "tidemark.yaml").write_text(WORKSPACES)  # no community: a shorter run
    (tmp / "costs.yaml").write_text(COSTS)
    env = {"TIDEMARK_HOME": str(tmp / "home"), "TIDEMARK_REPORTS_DIR": str(tmp / "reports"),
           "TIDEMARK_CONFIG": str(tmp / "tidemark.yaml"), "TIDEMARK_COSTS_CONFIG": str(tmp / "costs.yaml"),
           "TIDEMARK_SIM_NOW": SIM_NOW, "TIDEMARK_SIM_SEED": "11", "TIDEMARK_SIM_HISTORY_DAYS": "30",
           "TIDEMARK_INITIAL_SYNC_DAYS": "30", "TIDEMARK_SECRET_KEY": KEY, "DAGSTER_HOME": ""}
    with module_database(pg_server_url, env) as url:
        runtime = load_runtime()
        prepare_dagster_home(runtime.settings)
        summary = run_pipeline(runtime, ["youtube"], START, END, log=lambda message: None)
        assert summary.success, summary.runs
        for account, token in TOKENS.items():  # stored after the run: the simulator serves both
            runtime.credential_store.put("youtube", account, {"refresh_token": token}, source="connect")
        posts = rows(runtime, "select post_id from marts.dim_posts where account_id = %s order by 1", A)
        with runtime.connect() as conn, conn, conn.cursor() as cur:  # an ops row naming A's post, no account column
            cur.execute("insert into ops.check_results (run_id, check_name, asset_key, passed, severity, is_blocking, "
                        "details) values ('r', 'hand_made', 'marts/dim_posts', false, 'WARN', false, %s)",
                        (json.dumps({"sample": [posts[0][0]]}),))
        yield {"runtime": runtime, "url": url, "tmp": tmp, "posts": [p for (p,) in posts], "summary": summary}


def rows(runtime, query: str, *params) -> list[tuple]:
    with runtime.connect() as conn, conn.cursor() as cur:
        cur.execute(query, params)
        return cur.fetchall()


def account_counts(runtime, account: str) -> dict[str, int]:
    counts = {}
    for schema, table, column in rows(runtime, ACCOUNT_TABLES):
        with runtime.connect() as conn, conn.cursor() as cur:
            cur.execute(sql.SQL("select count(*) from {} where {} = %s").format(
                sql.Identifier(schema, table), sql.Identifier(column)), (account,))
            counts[f"{schema}.{table}"] = cur.fetchone()[0]
    return counts


def fingerprint(runtime, account: str) -> dict[str, tuple]:
    """count and md5 of the account's rows in every base table with an account column."""
    prints = {}
    for schema, table, column in rows(runtime, ACCOUNT_TABLES):
        if (schema, table) == ("ops", "privacy_erasures"):
            continue
        with runtime.connect() as conn, conn.cursor() as cur:
            cur.execute(sql.SQL("select count(*), md5(coalesce(string_agg(t::text, '|' order by t::text), '')) "
                                "from {} as t where {} = %s").format(sql.Identifier(schema, table),
                                                                     sql.Identifier(column)), (account,))
            prints[f"{schema}.{table}"] = cur.fetchone()
    return prints


HOME = {A: "testws", B: "otherws"}
STAMPED = """
    select c.table_schema, c.table_name, max(c.column_name) filter (where c.column_name in ('account_id', 'account'))
    from information_schema.columns as c
    inner join information_schema.tables as t using (table_schema, table_name)
    where t.table_type = 'BASE TABLE' and c.table_schema in ('raw', 'ops', 'marts')
    group by 1, 2
    having bool_or(c.column_name = 'workspace_id') and bool_or(c.column_name in ('account_id', 'account'))
    order by 1, 2
"""


def test_every_row_of_an_account_carries_its_workspace(world):
    runtime = world["runtime"]
    tables = rows(runtime, STAMPED)
    names = {f"{schema}.{table}" for schema, table, _ in tables}
    assert {"raw.youtube_videos", "ops.sync_results", "ops.sync_cursors", "ops.credentials", "marts.dim_accounts",
            "marts.fct_account_metrics_daily", "marts.mart_forecasts", "marts.mart_insights"} <= names
    seen = set()
    for schema, table, column in tables:
        found = rows(runtime, sql.SQL("select {}, workspace_id, count(*) from {} where {} = any(%s) group by 1, 2")
                     .format(sql.Identifier(column), sql.Identifier(schema, table), sql.Identifier(column)), [A, B])
        assert all(HOME[account] == workspace for account, workspace, _ in found), (table, found)
        seen |= {(f"{schema}.{table}", account) for account, _, _ in found}
    assert {("raw.youtube_videos", A), ("raw.youtube_videos", B), ("marts.dim_posts", A), ("marts.dim_posts", B)} <= seen


def test_each_workspace_gets_its_own_reports_with_its_own_account_only(world):
    runtime = world["runtime"]
    registered = rows(runtime, "select workspace_id, name, files from ops.analytics_reports order by 1, 2")
    assert [(w, n) for w, n, _ in registered] == [("otherws", "weekly_performance"), ("testws", "weekly_comparison"),
                                                  ("testws", "weekly_growth"), ("testws", "weekly_performance")]
    for workspace, name, files in registered:
        document = json.loads(Path(files["report.json"]).read_text())
        assert f"/{workspace}/{name}/" in files["report.json"] and document["metadata"]["workspace"] == workspace
        accounts = {row["account_id"] for table in document["tables"].values() for row in table
                    if isinstance(row, dict) and row.get("account_id")}
        own = {a for a, w in HOME.items() if w == workspace}
        assert accounts <= own and (accounts or name == "weekly_comparison"), (workspace, name, accounts)


def test_an_account_of_another_workspace_is_refused(world, capsys):
    out = world["tmp"] / "wrong.zip"
    assert main(["privacy", "export", "--workspace", "otherws", "--account", A, "--out", str(out)]) == 2
    assert f"account '{A}' belongs to workspace 'testws'" in capsys.readouterr().err and not out.exists()


def test_a_whole_workspace_among_several_is_its_rows_only(world, capsys):
    out = world["tmp"] / "otherws.zip"
    assert main(["privacy", "export", "--workspace", "otherws", "--out", str(out)]) == 0
    archive = zipfile.ZipFile(out)
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["tables"]["raw.youtube_videos"]["selected_by"] == "workspace_id"
    expected = dict(rows(world["runtime"], "select 'raw.youtube_videos', count(*) from raw.youtube_videos "
                                           "where workspace_id = 'otherws' union all select 'marts.dim_posts', count(*) "
                                           "from marts.dim_posts where workspace_id = 'otherws'"))
    assert expected["raw.youtube_videos"] > 0
    assert {t: manifest["row_counts"][t] for t in expected} == expected
    everything = b"".join(archive.read(name) for name in archive.namelist())
    assert B.encode() in everything and A.encode() not in everything  # not one row or report of testws
    assert {r["report_id"].split(":")[0] for r in manifest["reports"]} == {"otherws"}


def test_export_holds_the_accounts_rows_and_reports_and_no_secret(world, capsys):
    runtime, tmp = world["runtime"], world["tmp"]
    out = tmp / "export-a.zip"
    assert main(["privacy", "export", "--workspace", "testws", "--account", A, "--out", str(out)]) == 0
    archive = zipfile.ZipFile(out)
    manifest = json.loads(archive.read("manifest.json"))
    names = archive.namelist()
    assert names == sorted(names)
    expected = account_counts(runtime, A)
    assert expected["raw.youtube_videos"] > 0 and expected["marts.dim_posts"] > 0 and expected["ops.credentials"] == 1
    for table, count in expected.items():
        if table == "ops.privacy_erasures":
            continue
        assert manifest["row_counts"][table] == count, table
        lines = archive.read(f"tables/{table}.jsonl").decode().splitlines() if count else []
        assert len(lines) == count and all(json.loads(line)[
            "account" if table == "marts.mart_insights" else "account_id"] == A for line in lines), table
    # the ops row that names one of A's posts, in a table without an account column
    checks = [json.loads(line) for line in archive.read("tables/ops.check_results.jsonl").decode().splitlines()]
    assert [c["check_name"] for c in checks if c["check_name"] == "hand_made"] == ["hand_made"]
    # the weekly reports of A's workspace cover every account of it, A included; their files are in the zip
    registered = rows(runtime, "select report_id, platforms, filters, files from ops.analytics_reports")
    covering = {report_id: files for report_id, platforms, filters, files in registered if report_id.startswith(
        "testws:") and (A in (filters.get("accounts") or []) or not filters.get("accounts") and "youtube" in platforms)}
    assert covering and {r["report_id"] for r in manifest["reports"]} == set(covering)
    assert sum(len(files) for files in covering.values()) == sum(len(r["files"]) for r in manifest["reports"])
    for report in manifest["reports"]:
        assert all(archive.read(name) == Path(path).read_bytes()
                   for name, path in zip(report["files"], sorted(covering[report["report_id"]].values()), strict=True))
    assert "staging.stg_youtube__video_snapshots" in manifest["derived_views"]
    assert manifest["version"] and manifest["generated_at"].startswith("2026-11-20")
    assert {item["what"] for item in manifest["not_included"]} >= {"ops.credentials.secrets"}
    registry = json.loads(archive.read("registry/tidemark.yaml.json"))
    assert [a["id"] for a in registry["accounts"]] == [A]
    # never a secret: not the token, not its ciphertext, not the key
    (cipher,) = rows(runtime, "select secrets from ops.credentials where account_id = %s", A)[0]
    everything = b"".join(archive.read(name) for name in names)
    for secret in (TOKENS[A].encode(), bytes(cipher), KEY.encode()):
        assert secret not in everything
    assert B.encode() not in archive.read("tables/raw.youtube_videos.jsonl")
    # deterministic: the same data (and the pinned clock) gives the same bytes
    again = tmp / "export-a-again.zip"
    assert main(["privacy", "export", "--workspace", "testws", "--account", A, "--out", str(again)]) == 0
    assert again.read_bytes() == out.read_bytes()


def test_unknown_workspace_is_refused(world, capsys):
    assert main(["privacy", "export", "--workspace", "other", "--out", str(world["tmp"] / "x.zip")]) == 2
    assert "'other' is not a workspace of this deployment; known: testws, otherws" in capsys.readouterr().err
    assert not (world["tmp"] / "x.zip").exists()


def test_erase_is_refused_while_a_run_holds_the_warehouse(world, capsys):
    before = account_counts(world["runtime"], A)
    with advisory_lock(world["url"], PIPELINE, wait=False):
        assert main(["privacy", "erase", "--workspace", "testws", "--account", A, "--yes"]) == 3
    assert "a run holds the warehouse" in capsys.readouterr().err
    assert account_counts(world["runtime"], A) == before


def _needles(world) -> list[bytes]:
    return [value.encode() for value in [A, A_NAME, *world["posts"]]]


def _dump(url: str) -> bytes:
    return subprocess.run([_bin("pg_dump"), "--no-owner", url], capture_output=True, check=True).stdout


def _files_naming(roots: list[Path], needles: list[bytes]) -> list[str]:
    found = []
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.is_file() and any(n in path.read_bytes() or n.decode() in str(path) for n in needles):
                found.append(str(path))
    return found


def test_erase_removes_everything_of_the_account_and_keeps_the_other(world, capsys):
    runtime, tmp = world["runtime"], world["tmp"]
    needles = _needles(world)
    dump = _dump(world["url"])
    assert all(n in dump for n in needles)  # the check below can fail: everything is there before
    assert _files_naming([tmp / "home", tmp / "reports"], needles)
    b_before = fingerprint(runtime, B)

    assert main(["privacy", "erase", "--workspace", "testws", "--account", A, "--yes", "--actor", "dpo"]) == 0
    out = capsys.readouterr().out
    assert "still listed in tidemark.yaml" in out and "rebuilt" in out

    dump = _dump(world["url"])
    assert [n for n in needles if n in dump] == []
    assert _files_naming([tmp / "home", tmp / "reports"], needles) == []
    assert sum(account_counts(runtime, A).values()) == 0
    after = fingerprint(runtime, B)
    assert {t: p for t, p in after.items() if p != b_before[t]} == {}
    assert after["raw.youtube_videos"][0] > 0 and after["marts.dim_posts"][0] > 0 and after["ops.credentials"][0] == 1

    (audit,) = rows(runtime, "select subject_hash, subject_kind, workspace_id, requested_by, counts, rebuilt_at "
                             "from ops.privacy_erasures")
    key = KEY.encode()  # the installation's key (TIDEMARK_SECRET_KEY's first), as for erase-user
    assert audit[0] == "hmac-sha256:" + hmac.new(key, f"account:{A}".encode(), hashlib.sha256).hexdigest()
    assert audit[1:4] == ("social_account", "testws", "dpo") and audit[5] is not None
    counts = audit[4]
    assert counts["raw.youtube_videos"] == len(world["posts"])  # one snapshot per video after one sync
    assert counts["ops.credentials"] == 1 and counts["ops.check_results (rows naming it)"] == 1
    assert counts["report files"] > 0


def test_a_second_erase_is_a_no_op_but_audited(world, capsys):
    runtime = world["runtime"]
    b_before = fingerprint(runtime, B)
    assert main(["privacy", "erase", "--workspace", "testws", "--account", A, "--yes"]) == 0
    assert "nothing of account" in capsys.readouterr().out
    audits = rows(runtime, "select counts, rebuilt_at from ops.privacy_erasures order by erasure_id")
    assert len(audits) == 2 and audits[1][0] == {} and audits[1][1] is not None
    assert fingerprint(runtime, B) == b_before
