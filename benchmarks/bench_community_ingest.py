"""Community event-file ingestion throughput, next to a plain COPY of the same rows.

N synthetic NDJSON lines (the contract's envelope; a few thousand users, IPs and user agents) are
written to a throwaway landing folder, then timed through `ingest_landing` (manifest, sha256,
read, parse, validate, privacy reduction, dedupe on message_id, COPY, a commit per 5,000 lines)
and compared with a plain COPY of the same rows, pre-rendered, into a table shaped like
raw.community_events (same key and indexes): the machine's upper bound. Target: ≥ 50 %.

    .venv/bin/python benchmarks/bench_community_ingest.py [--lines 200000] [--per-file 20000] [--gz]

Uses DATABASE_URL when set, else a throwaway embedded server.
"""

from __future__ import annotations

import argparse
import gzip
import io
import os
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson
import psycopg2

from core.settings import load_settings
from core.warehouse.embedded import EmbeddedPostgres
from core.warehouse.schema import migrate
from ingestion.community import LocalFolder, Privacy, ingest_landing
from ingestion.community.events import COLUMNS, parse_line

UAS = [
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
    "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile "
    "Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 "
    "Safari/605.1.15",
]
ACTIVITIES = ["view", "join", "post", "comment", "like", "share", "heartbeat", "heartbeat", "heartbeat"]


def synthetic_lines(n: int, start: datetime, seed: int = 1) -> list[bytes]:
    rng = random.Random(seed)
    lines = []
    for i in range(n):
        at = start + timedelta(seconds=i * 0.4)
        user = rng.randrange(5000)
        context = {"ip": f"10.{user % 256}.{user // 256}.{rng.randrange(1, 255)}", "user_agent": UAS[user % len(UAS)],
                   "location": {"country": "DE", "region": "BE", "city": "Berlin"}, "timezone": "Europe/Berlin",
                   "session_id": f"s{user}-{i // 2000}"}
        kind = rng.random()
        if kind < 0.8:
            envelope = {"type": "track", "event": "community_activity",
                        "properties": {"community_id": f"c{rng.randrange(40)}", "activity_type": rng.choice(ACTIVITIES),
                                       "metadata": {"post_id": f"p{rng.randrange(10**6)}"}}}
        elif kind < 0.97:
            envelope = {"type": "page", "event": None,
                        "properties": {"path": f"/c/c{rng.randrange(40)}", "title": "Community", "community_id": None}}
        else:
            envelope = {"type": "identify", "event": None,
                        "traits": {"registration_country": "DE", "registration_city": "Berlin",
                                   "joined_at": "2026-01-01T00:00:00+00:00"}}
        stamp = at.isoformat()
        lines.append(orjson.dumps({
            "message_id": f"msg-{i:09d}", "user_id": f"u{user}", "anonymous_id": None, "timestamp": stamp,
            "sent_at": stamp, "received_at": (at + timedelta(seconds=1)).isoformat(), "context": context, **envelope,
        }))
    return lines


def write_landing(root: Path, lines: list[bytes], per_file: int, gz: bool) -> None:
    folder = root / "events" / "2026-11-20"
    folder.mkdir(parents=True)
    for number, offset in enumerate(range(0, len(lines), per_file)):
        body = b"\n".join(lines[offset:offset + per_file]) + b"\n"
        name = f"{number:06d}-{number:04d}.ndjson"
        if gz:
            (folder / f"{name}.gz").write_bytes(gzip.compress(body, compresslevel=6))
        else:
            (folder / name).write_bytes(body)


def bench_copy(conn, lines: list[bytes], now: datetime) -> tuple[int, float]:
    """The same rows, already rendered as COPY text, straight into a same-shaped table."""
    privacy = Privacy("hash", b"bench-key")
    buffers, rendered = [], []
    for number, line in enumerate(lines, start=1):
        rendered.append(f"{parse_line(line, privacy, now)[1]}\tevents/bench.ndjson\t{number}\tbench\n")
        if len(rendered) == 5000:
            buffers.append("".join(rendered))
            rendered = []
    if rendered:
        buffers.append("".join(rendered))
    with conn, conn.cursor() as cur:
        cur.execute("create table if not exists raw.copy_bench_community (like raw.community_events including all)")
        cur.execute("truncate raw.copy_bench_community")
    started = time.perf_counter()
    with conn, conn.cursor() as cur:
        for buffer in buffers:
            cur.copy_expert(f"copy raw.copy_bench_community ({', '.join(COLUMNS)}) from stdin", io.StringIO(buffer))
    return len(lines), time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=200_000)
    parser.add_argument("--per-file", type=int, default=20_000)
    parser.add_argument("--gz", action="store_true", help="gzip the landing files")
    args = parser.parse_args()
    server = None
    url = os.environ.get("DATABASE_URL")
    workdir = Path(tempfile.mkdtemp(prefix="tidemark-bench-community-"))
    if not url:
        server = EmbeddedPostgres(workdir / "pg")
        url = server.ensure_running().url()
    settings = load_settings(TIDEMARK_IP_MODE="hash", TIDEMARK_IP_HASH_KEY="bench-key")
    now = settings.now()
    lines = synthetic_lines(args.lines, datetime(2026, 11, 20, tzinfo=UTC))
    write_landing(workdir / "landing", lines, args.per_file, args.gz)
    conn = psycopg2.connect(url)
    try:
        migrate(conn, [])
        with conn, conn.cursor() as cur:
            cur.execute("truncate raw.community_events, ops.community_files")
        copy_rows, copy_s = bench_copy(conn, lines, now)
        started = time.perf_counter()
        result = ingest_landing(conn, LocalFolder(workdir / "landing"), "bench", settings)
        seconds = time.perf_counter() - started
    finally:
        conn.close()
        if server:
            server.stop()
    assert result.rows_loaded == args.lines, result
    print(f"lines: {args.lines:,} in {result.files_read} files{' (gz)' if args.gz else ''}")
    print(f"plain COPY (pre-rendered rows):             {copy_rows / copy_s:,.0f} rows/s ({copy_s:.2f} s)")
    print(f"ingest_landing (read, parse, reduce, load): {args.lines / seconds:,.0f} rows/s ({seconds:.2f} s)")
    print(f"ratio: {args.lines / seconds / (copy_rows / copy_s):.0%} of the COPY rate (target ≥ 50 %)")


if __name__ == "__main__":
    main()
