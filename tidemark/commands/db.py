"""`tidemark db url | start | stop | status`: the warehouse database."""

from __future__ import annotations

from core.settings import load_settings
from core.warehouse.connection import embedded_server, warehouse_url


def cmd_db(args) -> int:
    settings = load_settings()
    if args.action == "url":
        print(warehouse_url(settings))
    elif settings.database_url:
        print("DATABASE_URL is set: Tidemark uses that server and does not manage it.")
    elif args.action == "start":
        embedded_server(settings).ensure_running()
        print("embedded Postgres running")
    elif args.action == "stop":
        print("stopped" if embedded_server(settings).stop() else "not running")
    elif args.action == "status":
        print("running" if embedded_server(settings).is_running() else "stopped")
    return 0


def add_parser(sub) -> None:
    db = sub.add_parser("db", help="the warehouse database")
    db.add_argument("action", choices=["url", "start", "stop", "status"])
    db.set_defaults(func=cmd_db)
