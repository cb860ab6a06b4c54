"""Working with the pieces directly: `tidemark ui`, `tidemark dbt -- ...`, `tidemark sim`."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

from core.settings import PROJECT_ROOT, load_settings
from core.warehouse.connection import warehouse_url
from core.warehouse.dbt_env import dbt_env
from core.workspace import load_workspace
from ingestion.registry import platforms
from orchestration.transform.project import ensure_manifest, with_vars
from tidemark.dagster_home import prepare_dagster_home
from tidemark.runtime import load_runtime, simulated_time_zones, start_simulator


def cmd_ui(args) -> int:
    settings = load_runtime().settings
    ensure_manifest(url=warehouse_url(settings))
    prepare_dagster_home(settings)
    dagster = os.path.join(os.path.dirname(sys.executable), "dagster")
    print(f"Dagster UI on http://127.0.0.1:{args.port} (webserver + daemon; Ctrl-C stops both)")
    return subprocess.call([dagster, "dev", "-w", str(PROJECT_ROOT / "workspace.yaml"), "-h", "127.0.0.1",
                            "-p", str(args.port)], cwd=PROJECT_ROOT)


def _workspace(settings):
    return load_workspace(settings.config_path, platforms())


def cmd_dbt(args) -> int:
    """Any dbt command against the warehouse, with Tidemark's vars (the platform list) merged in."""
    settings = load_settings()
    env = os.environ | dbt_env(warehouse_url(settings), _workspace(settings))
    dbt = os.path.join(os.path.dirname(sys.executable), "dbt")
    project = str(settings.dbt_project_dir)
    dbt_args = args.dbt_args[1:] if args.dbt_args[:1] == ["--"] else args.dbt_args
    command = [dbt, *dbt_args, "--project-dir", project, "--profiles-dir", project]
    if dbt_args and dbt_args[0] in ("build", "run", "test", "compile", "parse", "ls", "list", "seed", "show",
                                    "docs", "source", "snapshot", "retry"):
        command = with_vars(command)
    return subprocess.call(command, env=env)


def cmd_sim(args) -> int:
    settings = load_settings()
    workspace = load_workspace(settings.config_path, platforms())
    server = start_simulator(settings, port=args.port, time_zones=simulated_time_zones(workspace))
    for name, url in server.urls().items():
        print(f"{name}: {url}")
    try:
        server.wait()
    except KeyboardInterrupt:
        server.stop()
    return 0


def add_parsers(sub) -> None:
    ui = sub.add_parser("ui", help="Dagster webserver + daemon")
    ui.add_argument("--port", type=int, default=3000)
    ui.set_defaults(func=cmd_ui)
    dbt = sub.add_parser("dbt", help="run dbt against the warehouse (arguments after --)")
    dbt.add_argument("dbt_args", nargs=argparse.REMAINDER)
    dbt.set_defaults(func=cmd_dbt)
    sim = sub.add_parser("sim", help="serve the platform simulator until interrupted")
    sim.add_argument("--port", type=int, default=0)
    sim.set_defaults(func=cmd_sim)
