"""`tidemark privacy erase-user --user-id U [--community C]`: erase one member (docs/community.md, "Privacy").
`tidemark privacy export | erase --workspace W [--account A]`: GDPR export and erase of a workspace or
one of its accounts (docs/privacy.md; the work is in tidemark/privacy/).

Refused while a run holds the warehouse (exit 3, nothing erased); holds it while it works, so no
run or dbt build starts halfway. Deletes and redacts in one transaction (ingestion/community/erase.py),
then rebuilds the affected event days of the community marts with dbt (var community_rebuild_days).
A failed rebuild exits 4 and the next call finishes it.
"""

from __future__ import annotations

import getpass
import os
import subprocess
import sys

from core.warehouse.dbt_env import dbt_env
from ingestion.community.erase import Erasure, erase_user, mark_rebuilt
from orchestration.community import DBT_SELECT
from orchestration.community.jobs import rebuild_args
from tidemark.commands.privacy_gdpr import add_gdpr_parsers
from tidemark.privacy.guard import audit_key, while_idle
from tidemark.runtime import load_runtime
from tidemark.summary import FAILED, OK


def _rebuild(runtime, days: list[str]) -> subprocess.CompletedProcess:
    project = str(runtime.settings.dbt_project_dir)
    dbt = os.path.join(os.path.dirname(sys.executable), "dbt")
    command = [dbt, *rebuild_args(DBT_SELECT, days), "--project-dir", project, "--profiles-dir", project]
    return subprocess.run(command, env=os.environ | dbt_env(runtime.warehouse_url), capture_output=True, text=True)


def _print(erasure: Erasure, user_id: str, community: str | None) -> None:
    scope = f"community {community}" if community else "every community"
    if erasure.resumed:
        print(f"nothing of {user_id} left in {scope}; finishing the rebuild of erasure {erasure.erasure_id}")
    elif not erasure.erased:
        print(f"nothing of {user_id} found in {scope}; nothing to do")
    else:
        print(f"erased {user_id} from {scope} (audit: ops.privacy_erasures #{erasure.erasure_id})")
        for table, count in erasure.counts.items():
            print(f"  {table}: {count}")


def cmd_erase_user(args) -> int:
    runtime = load_runtime()
    runtime.prepare_warehouse([])
    return while_idle(runtime, lambda: _erase_user(runtime, args))


def _erase_user(runtime, args) -> int:
    with runtime.connect() as conn:
        erasure = erase_user(conn, args.user_id, args.community, getpass.getuser(), audit_key(runtime.settings))
    _print(erasure, args.user_id, args.community)
    if not erasure.days:
        return OK
    print(f"rebuilding {len(erasure.days)} event day(s) of the community marts "
          f"({erasure.days[0]}..{erasure.days[-1]})")
    result = _rebuild(runtime, erasure.days)
    if result.returncode != 0:
        print(f"tidemark: the dbt rebuild failed; run the command again to finish it\n{result.stdout[-3000:]}",
              file=sys.stderr)
        return FAILED
    with runtime.connect() as conn:
        mark_rebuilt(conn, erasure.erasure_id)
    print("rebuilt: the aggregate marts no longer count this member")
    return OK


def add_parser(sub) -> None:
    parser = sub.add_parser("privacy", help="GDPR export and erase of a workspace or an account; erase a "
                                            "community member's events and rollup contributions")
    actions = parser.add_subparsers(dest="action", required=True)
    add_gdpr_parsers(actions)
    erase = actions.add_parser("erase-user", help="delete a member's events, per-user rows and mentions; "
                                                  "rebuild the affected days")
    erase.add_argument("--user-id", required=True, help="the member's user_id in the events")
    erase.add_argument("--community", help="only this community's events (the identify profile is kept)")
    erase.set_defaults(func=cmd_erase_user)
