"""`tidemark` command line: run the pipeline, reach the database, open the UI.

    tidemark run [--platform youtube] [--start YYYY-MM-DD --end YYYY-MM-DD]
    tidemark db url | start | stop | status
    tidemark ui [--port 3000]
    tidemark dbt -- <dbt arguments>
    tidemark sim [--port 0]
    tidemark connect <platform> [--account-name NAME] [--account-id ID] [--port N] [--no-browser]
    tidemark accounts list
    tidemark credentials new-key | rotate-key
    tidemark collect [--host 127.0.0.1] [--port 8787] [--landing DIR]
    tidemark bi grant | up [--port 8088]   (docs/bi.md)
    tidemark privacy erase-user --user-id U [--community C]
    tidemark privacy export | erase --workspace W [--account A] [--out FILE.zip | --yes --actor NAME]  (docs/privacy.md)
    tidemark insights backtest | forecast | detect --csv FILE …  (docs/insights.md)
    tidemark quarantine list [--platform P] [--check C] | release [--table T] [--check C] [--ids ...] [--force --note N]
"""

from __future__ import annotations

import argparse
import sys

import psycopg2

from core.settings import ConfigError
from core.warehouse.connection import WarehouseUnavailable
from tidemark.commands import accounts, bi, collect, connect, db, dev, insights, privacy, quarantine, run
from tidemark.summary import CONFIG, WAREHOUSE


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tidemark", description="Tidemark social analytics ETL")
    sub = parser.add_subparsers(dest="command", required=True)
    run.add_parser(sub)
    db.add_parser(sub)
    dev.add_parsers(sub)
    quarantine.add_parser(sub)
    accounts.add_parsers(sub)
    connect.add_parser(sub)
    collect.add_parser(sub)
    privacy.add_parser(sub)
    insights.add_parser(sub)
    bi.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ConfigError as error:
        print(f"tidemark: configuration error\n{error}", file=sys.stderr)
        return CONFIG
    except WarehouseUnavailable as error:  # one line naming host and port, never the password
        print(f"tidemark: {error}", file=sys.stderr)
        return WAREHOUSE
    except (psycopg2.OperationalError, psycopg2.InterfaceError) as error:
        reason = (str(error).strip().splitlines() or ["connection lost"])[0]
        print(f"tidemark: the connection to the warehouse was lost: {reason}", file=sys.stderr)
        return WAREHOUSE


if __name__ == "__main__":
    sys.exit(main())
