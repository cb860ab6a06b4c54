"""Ingestion throughput: parse + load rows/s into raw, next to the raw Postgres COPY rate.

A large simulated YouTube channel's Analytics day rows are rendered as the API's JSON pages
(the wire format), then timed through what a sync does with them — `orjson.loads` (as ApiClient parses bodies), columnar rows
to records (`result_rows`), `RawLoader.commit` (canonical JSON, SHA-256, filter already-stored
rows, COPY) — and compared with a plain COPY of the same rows (pre-rendered text) into a
table of the same shape: the machine's upper bound. Target: at least half the COPY rate.

    .venv/bin/python benchmarks/bench_ingest.py [--videos 2000] [--days 365]

Uses DATABASE_URL when set, else a throwaway embedded server.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import orjson
import psycopg2

from core.warehouse.embedded import EmbeddedPostgres
from core.warehouse.loader import RawBatch, RawLoader, RawRecord, _copy_rows
from core.warehouse.schema import migrate
from ingestion.youtube.client import result_rows

HEADERS = ["day", "creatorContentType", "views", "engagedViews", "estimatedMinutesWatched", "averageViewDuration",
           "likes", "comments", "shares", "subscribersGained", "subscribersLost"]


def wire_pages(videos: int, days: int) -> list[tuple[str, bytes]]:
    """One resultTable JSON body per video, as the Analytics API returns it."""
    start = date(2025, 1, 1)
    pages = []
    for v in range(videos):
        rows = []
        for d in range(days):
            views = (v * 7919 + d * 104729) % 5000 + 10
            rows.append([(start + timedelta(days=d)).isoformat(), "VIDEO_ON_DEMAND", views, int(views * 0.8),
                         views * 3, 120 + d % 60, views // 25, views // 300, views // 500, views // 900, views // 4000])
        body = {"kind": "youtubeAnalytics#resultTable",
                "columnHeaders": [{"name": h, "columnType": "METRIC", "dataType": "INTEGER"} for h in HEADERS],
                "rows": rows}
        pages.append((f"vid{v:07d}", json.dumps(body).encode()))
    return pages


def bench_pipeline(conn, pages, now) -> tuple[int, float]:
    loader = RawLoader(conn, "bench", None)
    rows = 0
    started = time.perf_counter()
    for offset in range(0, len(pages), 50):  # the connector commits per 50 videos
        records = []
        for video_id, raw in pages[offset:offset + 50]:
            for row in result_rows(orjson.loads(raw)):
                records.append(RawRecord(f"{video_id}|{row['day']}", {"video_id": video_id, **row}))
        loader.commit([RawBatch("youtube_video_daily", "youtube", "bench", "reports", {}, now, records)])
        rows += len(records)
    return rows, time.perf_counter() - started


def bench_copy(conn, pages, now) -> tuple[int, float]:
    """The same rows, already rendered, straight into a same-shaped table with COPY."""
    buffers = []
    for offset in range(0, len(pages), 50):
        records = [RawRecord(f"{vid}|{row['day']}", {"video_id": vid, **row})
                   for vid, raw in pages[offset:offset + 50] for row in result_rows(orjson.loads(raw))]
        buffers.append(_copy_rows(RawBatch("t", "youtube", "bench", "reports", {}, now, records), "bench", None))
    with conn, conn.cursor() as cur:
        cur.execute("create table if not exists raw.copy_bench (like raw.youtube_video_daily including all)")
        cur.execute("truncate raw.copy_bench")
    columns = "record_key, payload, payload_hash, account_id, endpoint, request_params, run_id, partition_key, fetched_at"
    rows = sum(buffer.getvalue().count("\n") for buffer in buffers)
    started = time.perf_counter()
    with conn, conn.cursor() as cur:
        for buffer in buffers:
            cur.copy_expert(f"copy raw.copy_bench ({columns}) from stdin", io.StringIO(buffer.getvalue()))
    return rows, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--videos", type=int, default=2000)
    parser.add_argument("--days", type=int, default=365)
    args = parser.parse_args()
    server = None
    url = os.environ.get("DATABASE_URL")
    if not url:
        server = EmbeddedPostgres(Path(tempfile.mkdtemp(prefix="tidemark-bench-")))
        url = server.ensure_running().url()
    now = datetime.now(UTC)
    pages = wire_pages(args.videos, args.days)
    conn = psycopg2.connect(url)
    try:
        migrate(conn, ["youtube_video_daily"])
        with conn, conn.cursor() as cur:
            cur.execute("truncate raw.youtube_video_daily")
        copy_rows, copy_s = bench_copy(conn, pages, now)
        rows, seconds = bench_pipeline(conn, pages, now)
    finally:
        conn.close()
        if server:
            server.stop()
    print(f"rows: {rows:,} ({args.videos} videos × {args.days} days)")
    print(f"raw COPY (pre-rendered rows):          {copy_rows / copy_s:,.0f} rows/s ({copy_s:.1f} s)")
    print(f"parse + load (json → records → raw):   {rows / seconds:,.0f} rows/s ({seconds:.1f} s)")
    print(f"ratio: {rows / seconds / (copy_rows / copy_s):.0%} of the COPY rate (target ≥ 50 %)")


if __name__ == "__main__":
    main()
