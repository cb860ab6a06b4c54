"""Raw storage per account-year before and after compaction (docs/retention.md).

Simulated Instagram and YouTube accounts (two each) are synced on their real schedule (every 4 hours,
`--syncs-per-day`) for `--days` days after an initial history load, the social marts are built by dbt
(the build writes the watermark compaction needs), then compaction runs with the default
`compact_after_days` (35); both sides are measured after VACUUM FULL. Reported: rows and pg_total_relation_size of every raw
table before and after, and the totals per account and per account-year (scaled by 365 / days, the
compacted days' share growing to (365 - 35) / 365 in a full year: the "steady state" line extrapolates
with each part's own per-day rate).

    .venv/bin/python benchmarks/bench_retention.py [--days 60] [--syncs-per-day 6]

Uses DATABASE_URL (a maintenance database) when given, else a throwaway embedded server.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.warehouse.dbt_env import dbt_env  # noqa: E402
from core.warehouse.embedded import EmbeddedPostgres  # noqa: E402
from ingestion.compaction import KEEP, compact_raw, reclaim, relation_bytes  # noqa: E402
from ingestion.registry import all_raw_tables  # noqa: E402

PLATFORMS = ("instagram", "youtube")
ACCOUNTS = 4
CONFIG = """
workspace: {id: bench, name: Retention bench, timezone: UTC, simulated: true}
platforms:
  youtube:
    accounts:
      - id: UCbenchRetention00000001
        credentials: {client_id_env: B_ID, client_secret_env: B_SECRET, refresh_token_env: B_REFRESH1}
      - id: UCbenchRetention00000002
        credentials: {client_id_env: B_ID, client_secret_env: B_SECRET, refresh_token_env: B_REFRESH2}
  instagram:
    accounts:
      - id: "17841400000000881"
        credentials: {access_token_env: B_IG1}
      - id: "17841400000000882"
        credentials: {access_token_env: B_IG2}
"""


def database(args, work_dir: Path, server: EmbeddedPostgres | None) -> str:
    admin_url = args.database_url or server.ensure_running().url("postgres")
    admin = psycopg2.connect(admin_url)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute('drop database if exists "tidemark_bench_retention" with (force)')
        cur.execute('create database "tidemark_bench_retention"')
    admin.close()
    return admin_url.rsplit("/", 1)[0] + "/tidemark_bench_retention"


def sync(days: int, per_day: int, start: datetime) -> float:
    """Every platform at each scheduled time, with its lookback window, as the schedules would."""
    from ingestion.runner import run_platform
    from ingestion.sync import Window
    from tidemark.runtime import load_runtime

    started = time.monotonic()
    for number in range(days * per_day):
        moment = start + timedelta(hours=24 / per_day * number)
        os.environ["TIDEMARK_SIM_NOW"] = moment.isoformat()
        runtime = load_runtime()
        if number == 0:
            runtime.prepare_warehouse(all_raw_tables())
        for platform in PLATFORMS:
            lookback = runtime.platform_settings(platform).lookback_days
            window = Window(moment.date() - timedelta(days=lookback - 1), moment.date())
            results = run_platform(runtime, platform, window, f"bench-{number:04d}-{platform}", sleep=lambda s: None)
            failed = [r for r in results if r.status != "success"]
            if failed:
                raise SystemExit(f"sync {moment:%Y-%m-%d %H:%M} {platform}: {failed[0].message}")
        if number % per_day == per_day - 1:
            print(f"  day {number // per_day + 1}/{days} synced ({time.monotonic() - started:.0f} s)", flush=True)
    return time.monotonic() - started


def dbt_build(url: str, work_dir: Path) -> None:
    from orchestration.transform.project import with_vars

    project = str(ROOT / "dbt_project")
    command = [str(Path(sys.executable).parent / "dbt"), "build", "--select", "+marts.social",
               "--exclude-resource-type", "test", "--exclude-resource-type", "unit_test",
               "--project-dir", project, "--profiles-dir", project,
               "--target-path", str(work_dir / "target"), "--log-path", str(work_dir / "logs")]
    done = subprocess.run(with_vars(command), env=os.environ | dbt_env(url), capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(done.stdout[-3000:])


def counts(conn, tables) -> dict[str, int]:
    with conn.cursor() as cur:
        found = {}
        for table in tables:
            cur.execute(f"select count(*) from raw.{table}")
            found[table] = cur.fetchone()[0]
        return found


def mib(value: float) -> str:
    return f"{value / 2**20:8.2f} MiB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=60)
    parser.add_argument("--syncs-per-day", type=int, default=6, help="6: every 4 hours, the platforms' schedule")
    parser.add_argument("--compact-after-days", type=int, default=35)
    parser.add_argument("--database-url", help="a maintenance database URL (default: an embedded server)")
    parser.add_argument("--work-dir", default=os.path.join(tempfile.gettempdir(), "tidemark_bench_retention"))
    args = parser.parse_args()
    work_dir = Path(args.work_dir)
    work_dir.mkdir(parents=True, exist_ok=True)
    (work_dir / "tidemark.yaml").write_text(CONFIG)
    server = None if args.database_url else EmbeddedPostgres(work_dir / "pg")
    try:
        measure(args, work_dir, database(args, work_dir, server))
    finally:
        if server:
            server.stop()


def measure(args, work_dir: Path, url: str) -> None:
    # the simulated world's history ends at its epoch (2026-11-01); syncs run up to 2026-11-20
    start = datetime(2026, 11, 20, 2, 0, tzinfo=UTC) - timedelta(days=args.days - 1)
    os.environ.update({"DATABASE_URL": url, "TIDEMARK_HOME": str(work_dir / "home"),
                       "TIDEMARK_CONFIG": str(work_dir / "tidemark.yaml"), "TIDEMARK_SIM_SEED": "7",
                       "TIDEMARK_SIM_HISTORY_DAYS": str(args.days + 40), "TIDEMARK_INITIAL_SYNC_DAYS": "30"})
    seconds = sync(args.days, args.syncs_per_day, start)
    print(f"{args.days} days × {args.syncs_per_day} syncs of {ACCOUNTS} accounts in {seconds:.0f} s", flush=True)
    dbt_build(url, work_dir)

    tables = sorted(set(KEEP) & set(all_raw_tables()))
    today = (start + timedelta(days=args.days - 1)).date()
    conn = psycopg2.connect(url)  # not `with conn`: that is a transaction block, where VACUUM cannot run
    try:
        reclaim(conn, tables, full=True)  # both sides packed alike (re-fetches leave dead row versions)
        rows_before, bytes_before = counts(conn, tables), relation_bytes(conn, tables)
        report = compact_raw(conn, today=today, compact_after_days=args.compact_after_days, tables=tables)
        reclaim(conn, tables, full=True)
        rows_after, bytes_after = counts(conn, tables), relation_bytes(conn, tables)
        with conn.cursor() as cur:  # the share of the compacted days in the rows that stay
            old_rows = 0
            for table in tables:
                cur.execute(f"select count(*) from raw.{table} where (fetched_at at time zone 'UTC')::date < %s",
                            (report.cutoff,))
                old_rows += cur.fetchone()[0]
    finally:
        conn.close()
    if report.blocked:
        raise SystemExit(report.blocked)

    print(f"\n{'raw table':<28}{'rows before':>12}{'rows after':>12}{'size before':>14}{'size after':>14}")
    for table in tables:
        print(f"{table:<28}{rows_before[table]:>12,}{rows_after[table]:>12,}"
              f"{mib(bytes_before[table]):>14}{mib(bytes_after[table]):>14}")
    total_before, total_after = sum(bytes_before.values()), sum(bytes_after.values())
    print(f"{'total':<28}{sum(rows_before.values()):>12,}{sum(rows_after.values()):>12,}"
          f"{mib(total_before):>14}{mib(total_after):>14}")
    tracked = args.days  # days of syncs (the initial history load lands on the first one)
    year = 365 / tracked / ACCOUNTS
    print(f"\nper account over {tracked} days: {mib(total_before / ACCOUNTS)} before, "
          f"{mib(total_after / ACCOUNTS)} after compaction (rows removed: {report.rows_deleted:,})")
    print(f"per account-year, scaled by 365/{tracked}: {mib(total_before * year)} before, "
          f"{mib(total_after * year)} after (this run's mix of compacted and recent days)")
    # Steady state: in a year every day but the last compact_after_days is compacted.
    old_days = (report.cutoff - start.date()).days
    recent_days = tracked - old_days
    per_row = total_after / max(sum(rows_after.values()), 1)
    old_rate = old_rows * per_row / max(old_days, 1)
    recent_rate = (sum(rows_after.values()) - old_rows) * per_row / max(recent_days, 1)
    keep = args.compact_after_days
    steady = (old_rate * (365 - keep) + recent_rate * keep) / ACCOUNTS
    uncompacted = total_before / tracked * 365 / ACCOUNTS
    print(f"steady state per account-year (compacted {365 - keep} days + {keep} recent): {mib(steady)} "
          f"vs {mib(uncompacted)} uncompacted")


if __name__ == "__main__":
    main()
