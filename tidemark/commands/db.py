"""`tidemark db url | start | stop [--force] | status`: the warehouse database."""

from __future__ import annotations

import sys

from core.settings import load_settings
from core.warehouse.connection import connect, embedded_server, warehouse_url
from core.warehouse.locks import holders
from tidemark.summary import BUSY


def _busy(settings) -> list[tuple]:
    """Who holds a Tidemark lock on the embedded warehouse (a run in progress)."""
    with connect(warehouse_url(settings)) as conn:
        return holders(conn)


def cmd_db(args) -> int:
    settings = load_settings()
    server = embedded_server(settings)
    if args.action == "url":
        print(warehouse_url(settings))
    elif settings.database_url:
        print("DATABASE_URL is set: Tidemark uses that server and does not manage it.")
    elif args.action == "start":
        server.ensure_running()
        print("embedded Postgres running")
    elif args.action == "stop":
        busy = _busy(settings) if server.is_running() else []
        if busy and not args.force:
            name, pid, since, _ = busy[0]
            print(f"tidemark: a run is using the warehouse ({name}, pid {pid}, since {since:%Y-%m-%d %H:%M:%S %Z}); "
                  "stopping now would cut it off. Wait for it, or `tidemark db stop --force`.", file=sys.stderr)
            return BUSY
        print("stopped" if server.stop() else "not running")
    elif args.action == "status":
        print("running" if server.is_running() else "stopped")
    return 0


def add_parser(sub) -> None:
    db = sub.add_parser("db", help="the warehouse database")
    db.add_argument("action", choices=["url", "start", "stop", "status"])
    db.add_argument("--force", action="store_true", help="stop even while a run is using the warehouse")
    db.set_defaults(func=cmd_db)
