"""`tidemark quarantine list | release`: look at quarantined records and release them after a fix."""

from __future__ import annotations

from expectations.quarantine import list_quarantined, release
from tidemark.runtime import load_runtime


def cmd_quarantine(args) -> int:
    runtime = load_runtime()
    if args.workspace:
        runtime.workspace.tenant(args.workspace)  # an unknown workspace: a ConfigError naming the known ones
    runtime.prepare_warehouse([])
    with runtime.connect() as conn:
        if args.action == "list":
            rows = list_quarantined(conn, args.platform, args.check, args.all, args.workspace)
            for r in rows:
                state = f"released {r['released_at']:%Y-%m-%d}" if r["released_at"] else "held"
                print(f"{r['quarantine_id']:>6}  {r['workspace_id'] or '-'}  {r['raw_table']}#{r['raw_id']}  "
                      f"{r['account_id']}  {r['check_name']}  "
                      f"run {r['run_id'][:8]}  {state}  {r['reason']}")
            print(f"{len(rows)} quarantined record(s)")
            return 0
        outcome = release(conn, args.table, args.check, args.ids, args.force, args.note, args.workspace)
    print(f"released {len(outcome.released)} record(s) (run {outcome.run_id}); "
          f"{len(outcome.still_failing)} still fail the current rules and stay quarantined")
    for quarantine_id, reasons in outcome.still_failing.items():
        print(f"  {quarantine_id}: {reasons}")
    if outcome.released:
        print("the released rows reach staging on the next dbt build (tidemark run, or tidemark dbt -- build)")
    return 0


def add_parser(sub) -> None:
    """`tidemark quarantine list | release` (docs/quality.md)."""
    parser = sub.add_parser("quarantine", help="list / re-validate and release quarantined records")
    actions = parser.add_subparsers(dest="action", required=True)
    listing = actions.add_parser("list", help="quarantined records (held ones unless --all)")
    listing.add_argument("--platform")
    listing.add_argument("--workspace", help="only this workspace's records (tidemark.yaml workspaces)")
    listing.add_argument("--check", help="e.g. gx_youtube_videos")
    listing.add_argument("--all", action="store_true", help="include released records")
    rel = actions.add_parser("release", help="re-validate with the current rules and release what passes")
    rel.add_argument("--table", help="raw table, e.g. youtube_videos")
    rel.add_argument("--workspace", help="only this workspace's records")
    rel.add_argument("--check", help="e.g. gx_youtube_videos")
    rel.add_argument("--ids", nargs="+", type=int, help="quarantine ids (from `list`)")
    rel.add_argument("--force", action="store_true", help="release even if the rules still fail (needs --note)")
    rel.add_argument("--note", help="why (required with --force; stored on the quarantine row)")
    parser.set_defaults(func=cmd_quarantine)
