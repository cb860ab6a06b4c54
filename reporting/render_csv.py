"""CSV: tidy tables, one file per table, with `definitions.csv` beside them.

The big table (every post × day of the period, `post_metrics_daily.csv`) is streamed from a
server-side cursor straight to disk, so memory stays flat whatever the number of rows; the
report's size budget and deadline are checked as it grows.
"""

from __future__ import annotations

import csv
from pathlib import Path

from reporting.queries import RAW_DAILY_ROWS

STREAM_BATCH = 20_000


def _write(path: Path, rows: list[dict], budget) -> Path:
    with path.open("w", newline="") as handle:
        if rows:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    if budget:
        budget.add_bytes(path.stat().st_size, path.name)
    return path


def write_tables(data, meta: dict, directory: Path, budget=None) -> list[Path]:
    """summary, comparison, each section table, insights and definitions — one file each."""
    period = {"period_start": meta["period_start"], "period_end": meta["period_end"]}
    tables = {
        "summary": [period | data.totals],
        "comparison": data.comparison,
        **data.tables,
        "insights": [{"insight": text} for text in data.insights],
        "definitions": [{"term": k, "definition": v} for k, v in data.definitions.items()],
    }
    return [_write(directory / f"{name}.csv", rows, budget) for name, rows in tables.items()]


def stream_query(conn, sql: str, params: dict, path: Path, budget=None, batch: int = STREAM_BATCH) -> int:
    """Write a query's rows to CSV as they arrive (server-side cursor); returns the row count."""
    rows = 0
    with conn.cursor(name=f"export_{path.stem}") as cur, path.open("w", newline="") as handle:
        cur.itersize = batch
        cur.execute(sql, params)
        writer = csv.writer(handle, lineterminator="\n")
        header_written, last_size = False, 0
        for row in cur:
            if not header_written:
                writer.writerow([column.name for column in cur.description])
                header_written = True
            writer.writerow(row)
            rows += 1
            if rows % batch == 0 and budget:
                size = handle.tell()
                budget.add_bytes(size - last_size, path.name)
                budget.check_time(f"exporting {path.name}")
                last_size = size
        if budget:
            handle.flush()
            budget.add_bytes(handle.tell() - last_size, path.name)
    return rows


def export_daily_rows(conn, params: dict, directory: Path, budget=None) -> Path:
    path = directory / "post_metrics_daily.csv"
    stream_query(conn, RAW_DAILY_ROWS, params, path, budget)
    return path
