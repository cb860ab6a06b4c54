"""`tidemark` command line: run the pipeline, reach the database, open the UI.

    tidemark run [--platform youtube] [--start YYYY-MM-DD --end YYYY-MM-DD]
    tidemark db url | start | stop | status
    tidemark ui [--port 3000]
    tidemark dbt -- <dbt arguments>
    tidemark sim [--port 0]
    tidemark quarantine list [--platform P] [--check C] | release [--table T] [--check C] [--ids ...] [--force --note N]
"""

from __future__ import annotations

import argparse
import logging
import os
import subprocess
import sys
from datetime import date

from tidemark.settings import PROJECT_ROOT, ConfigError


def _runtime():
    from tidemark.runtime import load_runtime

    return load_runtime()


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (expected YYYY-MM-DD)") from None


def cmd_run(args) -> int:
    from ingestion.http import install_redacting_filter
    from ingestion.platforms import CONNECTORS
    from tidemark.dagster_home import prepare_dagster_home
    from tidemark.pipeline import RunInProgress, format_summary, run_pipeline

    runtime = _runtime()
    platforms = args.platform or [p for p in CONNECTORS if runtime.workspace.accounts(p)]
    unknown = sorted(set(platforms) - set(CONNECTORS))
    if unknown:
        raise ConfigError(f"--platform: unknown platform(s) {', '.join(unknown)}; expected one of {', '.join(CONNECTORS)}")
    start, end = args.start, args.end
    if (start is None) != (end is None):
        raise ConfigError("--start and --end go together (a partition range)")
    if start and end < start:
        raise ConfigError(f"--end {end} is before --start {start}")
    print(f"Tidemark: workspace {runtime.workspace.workspace.id!r}, warehouse {runtime.warehouse_display_url}")
    install_redacting_filter(logging.getLogger(), runtime.redactor)
    prepare_dagster_home(runtime.settings)
    try:
        summary = run_pipeline(runtime, platforms, start, end)
    except RunInProgress as error:
        print(f"tidemark: {error}", file=sys.stderr)
        return 3
    print(format_summary(summary, runtime))
    return 0 if summary.success else 1


def cmd_db(args) -> int:
    from tidemark.warehouse.connection import embedded_server, warehouse_url

    runtime_settings = _runtime().settings
    if args.action == "url":
        print(warehouse_url(runtime_settings))
    elif runtime_settings.database_url:
        print("DATABASE_URL is set: Tidemark uses that server and does not manage it.")
    elif args.action == "start":
        embedded_server(runtime_settings).ensure_running()
        print("embedded Postgres running")
    elif args.action == "stop":
        print("stopped" if embedded_server(runtime_settings).stop() else "not running")
    elif args.action == "status":
        print("running" if embedded_server(runtime_settings).is_running() else "stopped")
    return 0


def cmd_ui(args) -> int:
    from tidemark.dagster_home import prepare_dagster_home
    from tidemark.dbt_manifest import ensure_manifest
    from tidemark.warehouse.connection import warehouse_url

    settings = _runtime().settings
    ensure_manifest(settings.dbt_project_dir, warehouse_url(settings))
    prepare_dagster_home(settings)
    dagster = os.path.join(os.path.dirname(sys.executable), "dagster")
    print(f"Dagster UI on http://127.0.0.1:{args.port} (webserver + daemon; Ctrl-C stops both)")
    return subprocess.call([dagster, "dev", "-w", str(PROJECT_ROOT / "workspace.yaml"), "-h", "127.0.0.1",
                            "-p", str(args.port)], cwd=PROJECT_ROOT)


def cmd_dbt(args) -> int:
    from tidemark.warehouse.connection import warehouse_url
    from tidemark.warehouse.dbt_env import dbt_env

    settings = _runtime().settings
    env = os.environ | dbt_env(warehouse_url(settings))
    dbt = os.path.join(os.path.dirname(sys.executable), "dbt")
    project = str(settings.dbt_project_dir)
    return subprocess.call([dbt, *args.dbt_args, "--project-dir", project, "--profiles-dir", project], env=env)


def cmd_sim(args) -> int:
    from simulator.faults import FaultConfig
    from simulator.server import SimulatorServer
    from tidemark.runtime import start_simulator

    server = start_simulator(_runtime().settings, FaultConfig, SimulatorServer, port=args.port)
    for name, url in server.urls().items():
        print(f"{name}: {url}")
    try:
        server._thread.join()
    except KeyboardInterrupt:
        server.stop()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tidemark", description="Tidemark social analytics ETL")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="ingest → dbt build → checks → reports, through the Dagster instance")
    run.add_argument("--platform", action="append", help="only this platform (repeatable)")
    run.add_argument("--start", type=_date, help="first partition day (default: today − lookback)")
    run.add_argument("--end", type=_date, help="last partition day (default: today)")
    run.set_defaults(func=cmd_run)
    db = sub.add_parser("db", help="the warehouse database")
    db.add_argument("action", choices=["url", "start", "stop", "status"])
    db.set_defaults(func=cmd_db)
    ui = sub.add_parser("ui", help="Dagster webserver + daemon")
    ui.add_argument("--port", type=int, default=3000)
    ui.set_defaults(func=cmd_ui)
    dbt = sub.add_parser("dbt", help="run dbt against the warehouse (arguments after --)")
    dbt.add_argument("dbt_args", nargs=argparse.REMAINDER)
    dbt.set_defaults(func=cmd_dbt)
    sim = sub.add_parser("sim", help="serve the platform simulator until interrupted")
    sim.add_argument("--port", type=int, default=0)
    sim.set_defaults(func=cmd_sim)
    from tidemark.quarantine import add_parser as add_quarantine_parser

    add_quarantine_parser(sub)  # tidemark quarantine list | release (docs/quality.md)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if getattr(args, "dbt_args", None) and args.dbt_args[0] == "--":
        args.dbt_args = args.dbt_args[1:]
    try:
        return args.func(args)
    except ConfigError as error:
        print(f"tidemark: configuration error\n{error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
