"""`tidemark privacy erase`: remove everything Tidemark holds for a workspace or one account.

In one transaction: the account's rows in every base table with an account column (raw payloads,
ops rows such as sync results, cursors, quarantine, alerts, credentials, the registry; marts), the
aggregate rows of the Python-written marts on its platform (no account column value: recomputed
by the next run), rows of other tables whose text names the account or one of its posts (check
results, insights evidence), the reports that cover it (files and registry rows), and the audit
row. Then, outside it: lines naming the account in Dagster's run storage and in files under
TIDEMARK_HOME (compute logs), and a dbt run of the social marts, so totals no longer count it.

The audit row (ops.privacy_erasures, shared with `erase-user`) holds who, when, the workspace,
the counts per table — and the account only as a keyed hash (HMAC-SHA256 with the installation's
key): it proves that a given account was erased to anyone who knows the id, without keeping it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from psycopg2 import sql

from core.warehouse.connection import connect
from core.warehouse.dbt_env import dbt_env
from ingestion.community.erase import AUDIT_DDL, subject_hash
from orchestration.transform.project import with_vars
from tidemark.privacy.files import covering_reports, delete_report_files, naming_files, scrub_files
from tidemark.privacy.scope import Scope, token_pattern
from tidemark.privacy.tables import AUDIT, REPORTS, Table, mentions

AUDIT_COLUMNS = """alter table ops.privacy_erasures
    add column if not exists subject_kind text not null default 'community_member',
    add column if not exists workspace_id text"""
SOCIAL_MARTS = "marts.social"  # tables rebuilt from raw; staging and intermediate are views
REDACTED = "[erased]"


@dataclass
class Erasure:
    erasure_id: int | None = None
    counts: dict[str, int] = field(default_factory=dict)  # table or file kind -> rows or files removed
    rebuild: bool = False  # the social marts need a dbt run (something was deleted, or an earlier run's is due)

    @property
    def erased(self) -> int:
        return sum(self.counts.values())


def subject(scope: Scope) -> tuple[str, str]:
    """(kind, the string hashed into the audit row)."""
    if scope.account_id is None:
        return "workspace", f"workspace:{scope.workspace_id}"
    return "social_account", f"account:{scope.account_id}"


def _delete(cur, table: Table, where: sql.Composable, params: dict) -> int:
    cur.execute(sql.SQL("delete from {} where ").format(table.ident) + where, params)
    return cur.rowcount


def _conditions(table: Table, scope: Scope) -> list[tuple[str, sql.Composable]]:
    """(count label, `where`) per kind of row of the scope in one table."""
    if scope.everything:
        return [(table.qualified, sql.SQL("true"))]
    if scope.account_id is None and "workspace_id" in table.columns:  # one workspace of several
        return [(table.qualified, sql.SQL("workspace_id = %(workspace)s"))]
    column = table.account_column
    if column:
        found = [(table.qualified, sql.SQL("{} = any(%(ids)s)").format(sql.Identifier(column)))]
        if table.schema == "marts" and "platform" in table.columns:  # totals that count the account
            found.append((f"{table.qualified} (platform totals, recomputed by the next run)",
                          sql.SQL("{} is null and (platform is null or platform = any(%(platforms)s))").format(
                              sql.Identifier(column))))
        return found
    if table.schema != "raw" and table.text_columns:  # raw without an account column: the community's (erase-user)
        return [(f"{table.qualified} (rows naming it)", mentions(table))]
    return []


def delete_rows(conn, scope: Scope, tables: list[Table], reports_dir: Path, requested_by: str,
                key: bytes | None) -> Erasure:
    """Every row and report of the scope, and the audit row, in one transaction."""
    erasure = Erasure()
    kind, name = subject(scope)
    hashed = subject_hash(name, key)
    params = {"ids": scope.account_ids, "platforms": scope.platforms, "workspace": scope.workspace_id,
              "pattern": token_pattern(scope.identifiers()) if scope.identifiers() else "$^"}
    with conn, conn.cursor() as cur:
        cur.execute("create schema if not exists ops")  # a warehouse no run has prepared yet
        cur.execute(AUDIT_DDL)
        cur.execute(AUDIT_COLUMNS)
        reports = covering_reports(cur, scope)
        for table in tables:
            if table.is_view or (table.schema, table.name) in (AUDIT, REPORTS):
                continue
            for label, where in _conditions(table, scope):
                if (count := _delete(cur, table, where, params)):
                    erasure.counts[label] = erasure.counts.get(label, 0) + count
        if reports:
            cur.execute("delete from ops.analytics_reports where report_id = any(%s)", ([r.report_id for r in reports],))
            erasure.counts["ops.analytics_reports"] = cur.rowcount
        # Files last: a failure above rolls back with the files still there and their rows still naming them.
        if (deleted := delete_report_files(reports, reports_dir)):
            erasure.counts["report files"] = deleted
        for path in list(naming_files(reports_dir, scope.identifiers())):  # a report file no row lists
            path.unlink()
            erasure.counts["report files (unregistered)"] = erasure.counts.get("report files (unregistered)", 0) + 1
        cur.execute("select count(*) from ops.privacy_erasures where subject_hash = %s and rebuilt_at is null",
                    (hashed,))
        erasure.rebuild = erasure.erased > 0 or cur.fetchone()[0] > 0
        cur.execute("insert into ops.privacy_erasures (subject_hash, subject_kind, workspace_id, requested_by, counts, "
                    "rebuild_days, rebuilt_at) values (%s, %s, %s, %s, %s::jsonb, '{}', "
                    "case when %s then null else now() end) returning erasure_id",
                    (hashed, kind, scope.workspace_id, requested_by, _json(erasure.counts), erasure.rebuild))
        erasure.erasure_id = cur.fetchone()[0]
    return erasure


def _json(value: dict) -> str:
    return json.dumps(value, sort_keys=True)


def redact_run_storage(url: str, needles: list[str]) -> int:
    """Replace the needles in Dagster's run and event storage (schema `public` of its database): the
    run history stays, the lines no longer name the account. Returns the rows changed."""
    if not needles:
        return 0
    pattern = token_pattern(needles)
    changed = 0
    with connect(url) as conn, conn, conn.cursor() as cur:
        cur.execute("select c.table_name, c.column_name from information_schema.columns as c "
                    "inner join information_schema.tables as t on (t.table_schema, t.table_name) = "
                    "(c.table_schema, c.table_name) where c.table_schema = 'public' and t.table_type = 'BASE TABLE' "
                    "and c.data_type in ('text', 'character varying') order by 1, 2")
        for table, column in cur.fetchall():
            ident, col = sql.Identifier("public", table), sql.Identifier(column)
            for _ in range(3):  # adjacent mentions share a separator: a second pass finds the rest
                cur.execute(sql.SQL("update {t} set {c} = regexp_replace({c}, %(p)s, %(r)s, 'g') where {c} ~ %(p)s")
                            .format(t=ident, c=col), {"p": pattern, "r": f"\\1{REDACTED}\\3"})
                changed += cur.rowcount
                if not cur.rowcount:
                    break
    return changed


def scrub_home(home: Path, landing: Path | None, needles: list[str]) -> dict[str, int]:
    """Files under TIDEMARK_HOME that name the account (landing files deleted, log lines removed);
    for a whole workspace also the community landing files (else the next run would load them again)."""
    counts = {}
    if landing is not None and landing.is_dir():
        files = [path for path in landing.rglob("*") if path.is_file()]
        for path in files:
            path.unlink()
        if files:
            counts["landing files deleted"] = len(files)
    for label, count in scrub_files(home, needles).items():
        if count:
            counts[f"TIDEMARK_HOME {label}"] = count
    return counts


def rebuild_marts(runtime) -> subprocess.CompletedProcess:
    """`dbt run` of the social marts (Tidemark's vars, the warehouse's environment): totals without the account."""
    project = str(runtime.settings.dbt_project_dir)
    dbt = os.path.join(os.path.dirname(sys.executable), "dbt")
    command = [dbt, *with_vars(["run", "--select", SOCIAL_MARTS]), "--project-dir", project, "--profiles-dir", project]
    env = os.environ | dbt_env(runtime.warehouse_url, runtime.workspace)
    return subprocess.run(command, env=env, capture_output=True, text=True)


def mark_rebuilt(conn, scope: Scope, key: bytes | None) -> None:
    hashed = subject_hash(subject(scope)[1], key)
    with conn, conn.cursor() as cur:
        cur.execute("update ops.privacy_erasures set rebuilt_at = now() where subject_hash = %s and rebuilt_at is null",
                    (hashed,))
