"""`tidemark run [--platform P] [--start D --end D]`: ingest → dbt build → checks → reports."""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import date

from core.redaction import install_redacting_filter
from core.settings import ConfigError
from ingestion.registry import connectors
from tidemark.dagster_home import prepare_dagster_home
from tidemark.pipeline import RunInProgress, run_pipeline
from tidemark.runtime import load_runtime
from tidemark.summary import BUSY, format_summary


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (expected YYYY-MM-DD)") from None


def cmd_run(args) -> int:
    runtime = load_runtime()
    known = connectors()
    config = runtime.workspace
    scope = config.tenant(args.workspace) if args.workspace else None  # an unknown id: ConfigError
    platforms = args.platform or [p for p in known if (scope or config).accounts(p)]
    unknown = sorted(set(platforms) - set(known))
    if unknown:
        raise ConfigError(f"--platform: unknown platform(s) {', '.join(unknown)}; expected one of {', '.join(known)}")
    start, end = args.start, args.end
    if (start is None) != (end is None):
        raise ConfigError("--start and --end go together (a partition range)")
    if start and end < start:
        raise ConfigError(f"--end {end} is before --start {start}")
    today = runtime.settings.now().date()
    if start and end > today:
        # a partition of a day that has not happened would be recorded as materialized, with nothing fetched
        raise ConfigError(f"--end {end} is in the future (today is {today}, UTC): "
                          f"no platform has data for those days; use --end {today} or earlier")
    ids = [scope.id] if scope else config.workspace_ids()
    print(f"Tidemark: workspace{'s' if len(ids) > 1 else ''} {', '.join(ids)}, warehouse {runtime.warehouse_display_url}")
    install_redacting_filter(logging.getLogger(), runtime.redactor)
    prepare_dagster_home(runtime.settings)
    try:
        summary = run_pipeline(runtime, platforms, start, end, community=not args.platform, workspace=args.workspace)
    except RunInProgress as error:
        print(f"tidemark: {error}", file=sys.stderr)
        return BUSY
    print(format_summary(summary, runtime.warehouse_display_url))
    return summary.exit_code


def add_parser(sub) -> None:
    run = sub.add_parser("run", help="ingest → dbt build → checks → reports, through the Dagster instance")
    run.add_argument("--platform", action="append", help="only this platform (repeatable)")
    run.add_argument("--start", type=parse_date, help="first partition day (default: today − lookback)")
    run.add_argument("--end", type=parse_date, help="last partition day (default: today)")
    run.add_argument("--workspace", help="only this workspace's accounts and reports (tidemark.yaml workspaces)")
    run.set_defaults(func=cmd_run)
