"""`tidemark privacy export | erase --workspace W [--account A]` (docs/privacy.md).

export: a zip of every row and report file Tidemark holds for the workspace or the account.
erase:  refused while a run holds the warehouse (exit 3, nothing erased); holds it while it works.
Deletes rows, reports and files, redacts run logs, keeps an audit row, then rebuilds the social marts
with dbt (a failed rebuild exits 4; the next call, which finds nothing left, finishes it).
"""

from __future__ import annotations

import getpass
import json
import sys
from pathlib import Path

from core.warehouse.connection import dagster_storage_url
from tidemark.privacy.erase import delete_rows, mark_rebuilt, rebuild_marts, redact_run_storage, scrub_home
from tidemark.privacy.export import export
from tidemark.privacy.guard import audit_key, while_idle
from tidemark.privacy.scope import Scope, resolve
from tidemark.privacy.tables import tables
from tidemark.runtime import load_runtime
from tidemark.summary import FAILED, OK


def _scope(runtime, conn, args) -> tuple[Scope, list]:
    with conn.cursor() as cur:
        found = tables(cur)
    return resolve(conn, runtime.workspace, args.workspace, args.account, found), found


def _what(scope: Scope) -> str:
    if scope.account_id is None:
        return f"workspace {scope.workspace_id} ({len(scope.accounts)} account(s))"
    return f"account {scope.account_id} of workspace {scope.workspace_id}"


def cmd_export(args) -> int:
    runtime = load_runtime()  # no prepare_warehouse: it would register tidemark.yaml's accounts again
    stamp = runtime.settings.now().strftime("%Y%m%dT%H%M%SZ")
    name = "-".join(part for part in ("tidemark-export", args.workspace, args.account, stamp) if part)
    out = Path(args.out) if args.out else Path(f"{name}.zip")
    with runtime.connect() as conn:
        scope, found = _scope(runtime, conn, args)
        result = export(conn, scope, found, runtime.workspace, runtime.settings.reports_dir, out,
                        runtime.settings.now())
    rows = sum(result.tables.values())
    print(f"exported {_what(scope)}: {rows} rows from {sum(1 for n in result.tables.values() if n)} tables, "
          f"{result.report_files} report files -> {out} (manifest.json lists what is and is not in it)")
    return OK


def _erase(runtime, args, actor: str) -> int:
    settings = runtime.settings
    with runtime.connect() as conn:
        scope, found = _scope(runtime, conn, args)
        if not args.yes:
            print(f"would erase everything Tidemark holds for {_what(scope)}; nothing erased: add --yes")
            return OK
        erasure = delete_rows(conn, scope, found, settings.reports_dir, actor, audit_key(settings))
    needles = scope.identifiers() + scope.names()
    erasure.counts["dagster run storage (rows redacted)"] = redact_run_storage(dagster_storage_url(settings), needles)
    landing = runtime.community_landing if scope.everything else None  # the community is the only workspace's
    erasure.counts.update(scrub_home(settings.home, landing, needles))
    erasure.counts = {k: v for k, v in erasure.counts.items() if v}
    with runtime.connect() as conn, conn, conn.cursor() as cur:  # the audit row gets the log and file counts too
        cur.execute("update ops.privacy_erasures set counts = %s::jsonb where erasure_id = %s",
                    (json.dumps(erasure.counts, sort_keys=True), erasure.erasure_id))
    print(f"erased {_what(scope)}: {erasure.erased} rows and files (audit: ops.privacy_erasures "
          f"#{erasure.erasure_id})" if erasure.erased else
          f"nothing of {_what(scope)} left; audited (ops.privacy_erasures #{erasure.erasure_id})")
    for label, count in sorted(erasure.counts.items()):
        print(f"  {label}: {count}")
    status = OK
    if erasure.rebuild:
        print("rebuilding the social marts (dbt run --select marts.social)")
        result = rebuild_marts(runtime)
        if result.returncode != 0:
            print(f"tidemark: the dbt rebuild failed; run the command again to finish it\n{result.stdout[-3000:]}",
                  file=sys.stderr)
            status = FAILED
        else:
            with runtime.connect() as conn:
                mark_rebuilt(conn, scope, audit_key(settings))
            print("rebuilt: the marts no longer count it; the Python-written insight marts' platform totals "
                  "are recomputed by the next run")
    for account in scope.configured:
        print(f"note: {account.platform} account {account.account_id} is still listed in tidemark.yaml "
              f"({settings.config_path}): remove it, or the next sync fetches its data again")
    return status


def cmd_erase(args) -> int:
    runtime = load_runtime()  # no prepare_warehouse: it would register the account again while it is listed
    return while_idle(runtime, lambda: _erase(runtime, args, args.actor or getpass.getuser()))


def add_gdpr_parsers(actions) -> None:
    export_parser = actions.add_parser("export", help="a zip of every row and report Tidemark holds for a "
                                                      "workspace or one account, with a manifest")
    export_parser.add_argument("--workspace", required=True, help="a workspace id (tidemark.yaml workspaces)")
    export_parser.add_argument("--account", help="one account id (default: the whole workspace)")
    export_parser.add_argument("--out", help="the zip to write (default: tidemark-export-<workspace>[-<account>]-"
                                             "<time>.zip here)")
    export_parser.set_defaults(func=cmd_export)
    erase = actions.add_parser("erase", help="delete a workspace's or an account's data, reports and files; "
                                             "rebuild the marts; keep an audit row")
    erase.add_argument("--workspace", required=True, help="a workspace id (tidemark.yaml workspaces)")
    erase.add_argument("--account", help="one account id (default: the whole workspace)")
    erase.add_argument("--yes", action="store_true", help="really erase (without it: say what would be erased)")
    erase.add_argument("--actor", help="who asked, for the audit row (default: the OS user)")
    erase.set_defaults(func=cmd_erase)
