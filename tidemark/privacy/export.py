"""`tidemark privacy export`: every row and file Tidemark holds for a workspace or one account, as a zip.

    manifest.json                      what is in it, row counts per table, what is not and why
    tables/<schema>.<table>.jsonl      one JSON object per row, sorted (deterministic)
    reports/<path under reports dir>   the report files that cover the account
    registry/tidemark.yaml.json        the accounts' entries in tidemark.yaml (env variable names, no values)

Rows are chosen per table by tables.selection(); staging and intermediate are views (derived from
raw and the registry: exported as their sources and the marts). Credential rows keep their
metadata, never the `secrets` ciphertext. The zip's entries are in name order with a fixed date,
so the same data gives the same bytes except for the manifest's generated_at.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from psycopg2 import sql

from core.workspace import WorkspaceConfig
from tidemark.privacy.files import archive_name, covering_reports
from tidemark.privacy.scope import Scope, token_pattern
from tidemark.privacy.tables import AUDIT, REPORTS, Table, selection

ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # fixed: the zip's bytes depend on the data only
NOT_INCLUDED = [
    {"what": "staging and intermediate views", "why": "derived: computed from the raw tables and the registry "
                                                       "exported here; the marts built from them are exported"},
    {"what": "ops.credentials.secrets", "why": "the encrypted access and refresh tokens: secrets, never exported; "
                                               "the credential rows' metadata (expiry, status) is"},
    {"what": "environment variable values named in tidemark.yaml", "why": "secrets (client ids and keys of the "
                                                                          "platform apps), not data about the account"},
    {"what": "ops.privacy_erasures", "why": "the audit of erasures: keyed hashes, no data about the account"},
    {"what": "Dagster's run and event logs, compute logs under TIDEMARK_HOME",
     "why": "operational logs of runs, not data about the account (an erase removes the lines naming it)"},
    {"what": "rows of other accounts in aggregate marts without an account column",
     "why": "rows that do not name the account are totals over several accounts"},
]


@dataclass
class Exported:
    path: Path
    tables: dict[str, int] = field(default_factory=dict)  # table -> rows exported
    report_files: int = 0


def tool_version() -> str:
    try:
        return version("tidemark")
    except PackageNotFoundError:
        return "unknown"


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _rows(cur, table: Table, where: sql.Composable, params: dict) -> list[str]:
    row = sql.SQL("to_jsonb(t)")
    for column in table.secret_columns:
        row = sql.SQL("{} - {}").format(row, sql.Literal(column))
    query = sql.SQL("select ({row})::text as line from {table} as t where {where} order by line").format(
        row=row, table=table.ident, where=where)
    cur.execute(query, params)
    return [line for (line,) in cur.fetchall()]


def _registry(workspace: WorkspaceConfig, scope: Scope) -> dict:
    wanted = {(a.platform, a.account_id) for a in scope.accounts}
    tenant = workspace.tenant(scope.workspace_id)
    entries = [{"platform": platform, **account.model_dump(mode="json")}
               for platform in sorted(tenant.platforms) for account in tenant.accounts(platform)
               if (platform, account.id) in wanted]
    return {"workspace": tenant.info() if scope.account_id is None else {"id": tenant.id}, "accounts": entries}


def export(conn, scope: Scope, tables: list[Table], workspace: WorkspaceConfig, reports_dir: Path,
           out: Path, generated_at: datetime) -> Exported:
    result = Exported(out)
    params = {"ids": scope.account_ids, "pattern": token_pattern(scope.identifiers()) if scope.identifiers() else "$^",
              "workspace": scope.workspace_id}
    members: dict[str, bytes] = {}
    manifest_tables: dict[str, dict] = {}
    with conn.cursor() as cur:
        reports = covering_reports(cur, scope)
        params["reports"] = [report.report_id for report in reports]
        for table in tables:
            if table.is_view or (table.schema, table.name) == AUDIT:
                continue
            chosen = selection(table, scope.account_id is None, scope.single)
            if (table.schema, table.name) == REPORTS:  # the reports that cover the account, whatever they name
                chosen = "covers the account", sql.SQL("report_id = any(%(reports)s)")
            if chosen is None:
                continue
            how, where = chosen
            lines = _rows(cur, table, where, params)
            result.tables[table.qualified] = len(lines)
            manifest_tables[table.qualified] = {"rows": len(lines), "selected_by": how,
                                                "file": f"tables/{table.qualified}.jsonl" if lines else None}
            if lines:
                members[f"tables/{table.qualified}.jsonl"] = ("\n".join(lines) + "\n").encode()
    manifest_reports = []
    for report in reports:
        names = []
        for path in report.paths:
            if path.is_file():
                name = archive_name(path, reports_dir)
                members[name] = path.read_bytes()
                names.append(name)
        result.report_files += len(names)
        manifest_reports.append({"report_id": report.report_id, "name": report.name, "files": names,
                                 "missing_files": len(report.paths) - len(names)})
    members["registry/tidemark.yaml.json"] = json.dumps(_registry(workspace, scope), indent=2,
                                                        sort_keys=True).encode()
    manifest = {
        "tool": "tidemark", "version": tool_version(), "generated_at": generated_at.isoformat(),
        "workspace": scope.workspace_id, "account": scope.account_id,
        "accounts": [{"platform": a.platform, "account_id": a.account_id} for a in scope.accounts],
        "row_counts": {name: entry["rows"] for name, entry in manifest_tables.items()},
        "tables": manifest_tables, "reports": manifest_reports,
        "derived_views": sorted(t.qualified for t in tables if t.is_view),
        "not_included": NOT_INCLUDED,
        "selection": "every row of every table" if scope.everything else
        "rows whose workspace_id is the workspace; in tables without one, rows of its accounts or naming them"
        if scope.account_id is None else
        "rows whose account_id (or account) column is the account; in tables without one, rows whose text "
        "names the account or one of its posts",
    }
    members["manifest.json"] = json.dumps(manifest, indent=2, sort_keys=True, default=str).encode()
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w") as archive:
        for name in sorted(members):
            archive.writestr(_entry(name), members[name])
    return result
