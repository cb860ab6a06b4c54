"""CSV: tidy tables, one file per table, with `coverage.csv` and `definitions.csv` beside them.

An unknown value is an empty cell, with the reason in the row's `note` column; `summary.csv`
carries `contains_simulated_data` and the number of simulated accounts. A table without rows
is not written (no empty section).

The big table (every post × day of the period, `post_metrics_daily.csv`) is streamed by the
server (COPY TO STDOUT) straight to disk, so memory stays flat whatever the number of rows; the
report's size budget and deadline are checked as it grows.
"""

from __future__ import annotations

import csv
from pathlib import Path

from reporting.queries import RAW_DAILY_ROWS


def _write(path: Path, rows: list[dict], budget) -> Path:
    with path.open("w", newline="") as handle:
        if rows:
            columns = list(dict.fromkeys(key for row in rows for key in row))
            writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    if budget:
        budget.add_bytes(path.stat().st_size, path.name)
    return path


def write_tables(data, meta: dict, directory: Path, budget=None) -> list[Path]:
    """summary, comparison, each section table, coverage, insights and definitions — one file each."""
    period = {"period_start": meta["period_start"], "period_end": meta["period_end"]}
    views = data.table_views | {"coverage": "Data coverage: what the numbers of each platform and account stand on"}
    tables = {
        "summary": [period | data.totals | data.simulated],
        "comparison": data.comparison,
        **data.tables,
        "coverage": data.coverage["rows"],
        "insights": [{"insight": text} for text in data.insights],
        "definitions": [{"term": k, "definition": v} for k, v in data.definitions.items()]
        + [{"term": f"{name}.csv", "definition": view} for name, view in views.items()],
    }
    return [_write(directory / f"{name}.csv", rows, budget) for name, rows in tables.items() if rows]


class _Sink:
    """File-like target for COPY: counts bytes against the budget and checks the deadline per chunk."""

    def __init__(self, handle, budget, name: str) -> None:
        self.handle, self.budget, self.name = handle, budget, name
        self.chunks = 0

    def write(self, data) -> int:
        data = data.encode() if isinstance(data, str) else data
        written = self.handle.write(data)
        self.chunks += 1
        if self.budget:
            self.budget.add_bytes(len(data), self.name)
            if self.chunks % 1000 == 0:
                self.budget.check_time(f"exporting {self.name}")
        return written


def stream_query(conn, sql: str, params: dict, path: Path, budget=None) -> int:
    """Write a query's rows to CSV as Postgres streams them (COPY … TO STDOUT); returns the row count.

    The server formats the CSV and sends it in chunks that go straight to disk, so memory stays
    flat for any number of rows; the query runs in the caller's transaction (same snapshot).
    """
    with conn.cursor() as cur, path.open("wb") as handle:
        query = cur.mogrify(sql, params).decode()
        cur.copy_expert(f"copy ({query}) to stdout with (format csv, header true)", _Sink(handle, budget, path.name))
        return cur.rowcount


def export_daily_rows(conn, params: dict, directory: Path, budget=None) -> Path:
    path = directory / "post_metrics_daily.csv"
    stream_query(conn, RAW_DAILY_ROWS, params, path, budget)
    return path
