"""Report benchmark (a script, not a test): weekly report of a large workspace, 1 M-row CSV export.

    .venv/bin/python benchmarks/bench_reports.py [--accounts 1000] [--rows 1000000]

Uses a scratch database on TIDEMARK_BENCH_DATABASE_URL's server, or an embedded Postgres in a
temporary directory; synthetic core marts are generated in SQL (benchmarks/synthetic_marts.py). Prints the
generation time of the weekly performance report (CSV + JSON + PDF; target < 30 s for 1,000
accounts) and the time and peak memory of a streamed 1 M-row CSV export.
"""

import argparse
import os
import resource
import sys
import tempfile
import time
import tracemalloc
import uuid
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import psycopg2

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.synthetic_marts import build_marts  # noqa: E402
from core.warehouse.embedded import EmbeddedPostgres  # noqa: E402
from reporting.collect import Scope  # noqa: E402
from reporting.generate import ReportRequest, generate  # noqa: E402
from reporting.limits import Budget  # noqa: E402
from reporting.periods import Period  # noqa: E402
from reporting.queries import RAW_DAILY_ROWS  # noqa: E402
from reporting.render_csv import stream_query  # noqa: E402

END = date(2026, 11, 15)  # a Sunday: the weekly report covers 2026-11-09..15


@contextmanager
def scratch_database():
    """A throw-away database (dropped afterwards) on the given or an embedded server."""
    server, workdir = None, None
    admin_url = os.environ.get("TIDEMARK_BENCH_DATABASE_URL")
    if not admin_url:
        workdir = tempfile.TemporaryDirectory(prefix="tidemark-bench-")
        server = EmbeddedPostgres(Path(workdir.name))
        admin_url = server.ensure_running().url("postgres")
    name = f"bench_{uuid.uuid4().hex[:10]}"
    admin = psycopg2.connect(admin_url)
    admin.autocommit = True
    admin.cursor().execute(f'create database "{name}"')
    try:
        yield admin_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        admin.cursor().execute(f'drop database if exists "{name}" with (force)')
        admin.close()
        if server:
            server.stop()
            workdir.cleanup()


def weekly_report(conn, out: Path, accounts: int) -> tuple[float, dict]:
    request = ReportRequest(name="weekly_performance", report_type="performance",
                            period=Period(END - timedelta(days=6), END), directory=out / "weekly",
                            workspace_id="bench", workspace_name=f"Benchmark ({accounts} accounts)",
                            timezone="Europe/Madrid", run_id="benchmark", generated_at=datetime.now(UTC))
    started = time.perf_counter()
    report = generate(conn, request, Budget("weekly_performance", 2_000_000_000, 600))
    return time.perf_counter() - started, report.sizes


def export_rows(conn, path: Path, rows: int) -> tuple[int, float, float]:
    """Stream `rows` post×day rows to CSV; returns (rows, seconds, Python peak MiB)."""
    params = Scope().params(Period(END - timedelta(days=400), END))
    tracemalloc.start()
    started = time.perf_counter()
    written = stream_query(conn, RAW_DAILY_ROWS + f" limit {rows}", params, path)
    conn.commit()
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return written, seconds, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=1000)
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    with scratch_database() as url, tempfile.TemporaryDirectory(prefix="tidemark-bench-out-") as out:
        conn = psycopg2.connect(url)
        started = time.perf_counter()
        counts = build_marts(conn, accounts=args.accounts, start=END - timedelta(days=119), end=END,
                             posts_per_account=45)
        print(f"synthetic marts ({time.perf_counter() - started:.1f} s): {counts}")
        seconds, sizes = weekly_report(conn, Path(out), args.accounts)
        print(f"weekly performance report, {args.accounts} accounts, CSV+JSON+PDF: {seconds:.2f} s "
              f"(target < 30 s); {sum(sizes.values()) / 1e6:.1f} MB in {len(sizes)} files")
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        for rows in (args.rows // 10, args.rows):
            written, secs, peak = export_rows(conn, Path(out) / f"export_{rows}.csv", rows)
            size = (Path(out) / f"export_{rows}.csv").stat().st_size / 1e6
            print(f"CSV export {written:,} rows: {secs:.2f} s, {size:.0f} MB, Python peak {peak:.1f} MiB")
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"process max RSS before exports {rss_before:.0f} MiB, after {rss_after:.0f} MiB")
        conn.close()


if __name__ == "__main__":
    main()
