"""Transactional raw loading: new rows COPYed into raw, cursors in the same commit.

A batch of API records, the quarantined records that came with it and the cursor it advances
commit together or not at all — a crash mid-load leaves no partial batch and an unmoved cursor.
Rows are deduplicated on (account, record key, payload hash): re-running a sync that sees
identical data writes nothing new, while a changed snapshot is kept as history.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import orjson
from psycopg2 import sql


@dataclass(frozen=True)
class RawRecord:
    record_key: str
    payload: dict


@dataclass
class RawBatch:
    table: str
    platform: str
    account_id: str
    endpoint: str
    request_params: Mapping
    fetched_at: datetime
    records: list[RawRecord] = field(default_factory=list)


@dataclass(frozen=True)
class Rejected:
    """A record refused at the boundary (malformed, schema violation); kept with its reason."""

    table: str
    platform: str
    account_id: str
    record_key: str | None
    payload: object
    check_name: str
    reason: str


@dataclass(frozen=True)
class CursorUpdate:
    platform: str
    account_id: str
    stream: str
    value: str


def canonical_json(payload: object) -> bytes:
    return orjson.dumps(payload, option=orjson.OPT_SORT_KEYS)


def payload_hash(payload: object) -> str:
    return hashlib.sha256(canonical_json(payload)).hexdigest()


def _text(value: str | None) -> str:
    """Escape a value for COPY's text format."""
    if value is None:
        return r"\N"
    return (
        value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    )


def _render(batch: RawBatch) -> dict[tuple[str, str], str]:
    """COPY lines keyed by (record key, payload hash); duplicates within a batch collapse."""
    fixed = "\t".join([
        _text(batch.account_id), _text(batch.endpoint), _text(orjson.dumps(dict(batch.request_params)).decode()),
    ])
    lines: dict[tuple[str, str], str] = {}
    for record in batch.records:
        body = canonical_json(record.payload)
        digest = hashlib.sha256(body).hexdigest()
        # orjson escapes control characters, so only backslashes need doubling for COPY.
        lines[(record.record_key, digest)] = (
            f"{_text(record.record_key)}\t{body.decode().replace(chr(92), chr(92) * 2)}\t{digest}\t{fixed}"
        )
    return lines


def _copy_rows(batch: RawBatch, run_id: str, partition_key: str | None) -> io.StringIO:
    """All rows of a batch as COPY text (used by the benchmark's plain-COPY baseline)."""
    tail = f"\t{_text(run_id)}\t{_text(partition_key)}\t{batch.fetched_at.isoformat()}\n"
    return io.StringIO("".join(line + tail for line in _render(batch).values()))


COLUMNS = ("record_key", "payload", "payload_hash", "account_id", "endpoint", "request_params",
           "run_id", "partition_key", "fetched_at")


def _load_batch(cur, batch: RawBatch, run_id: str, partition_key: str | None) -> int:
    """COPY the batch's new rows straight into its raw table.

    A record is stored again only when it differs from its latest stored version: an identical
    re-fetch is not stored twice, but the fetch is recorded on that version (last_fetched_at,
    last_run_id), and a payload that returns to an earlier value is stored anew, so "the latest
    version" is always the last row (a day that went 3 → 2 → 3 while a platform settled it ends at
    3; a clean rerun after a bad response makes the good payload current again, even on a pinned
    clock). Filter, record and COPY run under a transaction-scoped advisory lock per table and
    account, so concurrent loads cannot race.
    """
    if not batch.records:
        return 0
    table = sql.Identifier("raw", batch.table)
    lines = _render(batch)
    cur.execute("select pg_advisory_xact_lock(hashtext(%s))", (f"raw.{batch.table}:{batch.account_id}",))
    cur.execute(
        sql.SQL("select distinct on (record_key) record_key, payload_hash, raw_id from {} "
                "where account_id = %s and record_key = any(%s) order by record_key, raw_id desc").format(table),
        (batch.account_id, list({key for key, _ in lines})),
    )
    current = [(key, digest, raw_id) for key, digest, raw_id in cur.fetchall() if (key, digest) in lines]
    for key, digest, _ in current:
        del lines[(key, digest)]
    if current:
        cur.execute(
            sql.SQL("update {} set last_fetched_at = %s, last_run_id = %s where raw_id = any(%s) "
                    "and coalesce(last_fetched_at, fetched_at) <= %s").format(table),
            (batch.fetched_at, run_id, [raw_id for _, _, raw_id in current], batch.fetched_at),
        )
    if not lines:
        return 0
    tail = f"\t{_text(run_id)}\t{_text(partition_key)}\t{batch.fetched_at.isoformat()}\n"
    buffer = io.StringIO("".join(line + tail for line in lines.values()))
    cur.copy_expert(sql.SQL("copy {} ({}) from stdin").format(
        table, sql.SQL(", ").join(map(sql.Identifier, COLUMNS))).as_string(cur), buffer)
    return len(lines)


def _quarantine(cur, rejected: Iterable[Rejected], run_id: str) -> int:
    rows = [
        (r.table, r.platform, r.account_id, r.record_key, orjson.dumps(r.payload, default=str).decode(),
         run_id, r.check_name, r.reason)
        for r in rejected
    ]
    if rows:
        cur.executemany(
            "insert into ops.quarantine (raw_table, platform, account_id, record_key, payload, run_id, "
            "check_name, reason) values (%s, %s, %s, %s, %s::jsonb, %s, %s, %s)",
            rows,
        )
    return len(rows)


def _advance(cur, cursors: Iterable[CursorUpdate], run_id: str) -> None:
    for c in cursors:
        cur.execute(
            "insert into ops.sync_cursors (platform, account_id, stream, cursor_value, run_id, updated_at) "
            "values (%s, %s, %s, %s, %s, now()) on conflict (platform, account_id, stream) do update "
            "set cursor_value = excluded.cursor_value, run_id = excluded.run_id, updated_at = now()",
            (c.platform, c.account_id, c.stream, c.value, run_id),
        )


@dataclass
class LoadResult:
    inserted: int = 0
    received: int = 0
    quarantined: int = 0


class RawLoader:
    """Loads batches for one run; each `commit` call is one database transaction."""

    def __init__(self, conn, run_id: str, partition_key: str | None = None):
        self.conn = conn
        self.run_id = run_id
        self.partition_key = partition_key

    def commit(
        self,
        batches: Sequence[RawBatch],
        rejected: Sequence[Rejected] = (),
        cursors: Sequence[CursorUpdate] = (),
    ) -> LoadResult:
        result = LoadResult()
        with self.conn, self.conn.cursor() as cur:
            for batch in batches:
                result.received += len(batch.records)
                result.inserted += _load_batch(cur, batch, self.run_id, self.partition_key)
            result.quarantined = _quarantine(cur, rejected, self.run_id)
            _advance(cur, cursors, self.run_id)
        return result


def read_cursor(conn, platform: str, account_id: str, stream: str) -> str | None:
    with conn.cursor() as cur:
        cur.execute(
            "select cursor_value from ops.sync_cursors where platform = %s and account_id = %s and stream = %s",
            (platform, account_id, stream),
        )
        row = cur.fetchone()
    conn.commit()
    return row[0] if row else None


def existing_keys(conn, table: str, account_id: str) -> set[str]:
    """Record keys already landed for an account (e.g. which videos have a retention curve)."""
    with conn.cursor() as cur:
        cur.execute(
            sql.SQL("select distinct record_key from {} where account_id = %s").format(sql.Identifier("raw", table)),
            (account_id,),
        )
        keys = {row[0] for row in cur.fetchall()}
    conn.commit()
    return keys
