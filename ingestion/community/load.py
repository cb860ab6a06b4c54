"""Landing files → `raw.community_events`, once each, resumable, with a manifest.

`ops.community_files` records every file (path relative to the landing root, size, sha256). A file
is read in batches of lines; each batch's new events (COPY), its quarantined lines and the
manifest's `lines_read` commit in one transaction, so a crash mid-file loses nothing and counts
nothing twice: the next run resumes after `lines_read`. A finished file is not read again; one
whose bytes changed since is reported (FileOutcome status 'changed'), never silently re-read.
Events are deduplicated on message_id (a redelivery is counted in `duplicates`); malformed lines
go to `ops.quarantine` (check 'community_event_shape', record_key '<file>:<line>') while the rest
loads. One ingest at a time per warehouse (a session advisory lock).
"""

from __future__ import annotations

import hashlib
import io
import logging
import threading
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from queue import Empty, Full, Queue

import orjson
from psycopg2.extras import execute_values

from core.settings import Settings
from ingestion.community.events import COLUMNS, NOT_JSON, Malformed, _text, parse_line
from ingestion.community.privacy import Privacy
from ingestion.community.source import REFERENCE_PATH, LandingFile, LandingSource, decoded

log = logging.getLogger(__name__)

BATCH_LINES = 5000
DOMAIN = "community"
RAW_TABLE = "community_events"
CHECK_NAME = "community_event_shape"
# Held for a whole ingest; community dbt builds (macros/community/rebuild_days.sql) and the cleanup wait for it.
INGEST_LOCK = "tidemark.community_ingest"
_LOCK = f"select pg_advisory_lock(hashtext('{INGEST_LOCK}'))"
_UNLOCK = f"select pg_advisory_unlock(hashtext('{INGEST_LOCK}'))"
_COPY = f"copy raw.community_events ({', '.join(COLUMNS)}) from stdin"
TOO_LATE_CHECK = "community_too_late"
# An event for a day the raw cleanup already compacted cannot be folded in (the day's other raw is gone,
# its rollups are final): it leaves raw for ops.quarantine with the reason (ingestion/community/cleanup.py).
_TOO_LATE = """
    with moved as (
        delete from raw.community_events
        where message_id = any(%(ids)s) and (event_at at time zone 'UTC')::date = any(%(days)s::date[])
        returning *
    )
    insert into ops.quarantine (raw_table, platform, account_id, record_key, payload, run_id, check_name, reason)
    select 'community_events', 'community', coalesce(properties ->> 'community_id', '-'),
           source_file || ':' || source_line, to_jsonb(moved) - 'loaded_at', run_id, %(check)s,
           'too late: day ' || (event_at at time zone 'UTC')::date || ' already compacted by the raw cleanup'
    from moved"""


@dataclass
class FileOutcome:
    path: str
    status: str  # loaded | resumed | changed (reported, not read) | failed (unreadable; resumed next time)
    lines_read: int = 0  # lines read by this call
    rows_loaded: int = 0
    duplicates: int = 0
    rejected: int = 0
    message: str | None = None


@dataclass(frozen=True)
class FileProgress:
    """Reported after each committed batch (totals of the file so far, this call)."""

    path: str
    lines_read: int  # the file's lines read so far (including those of an earlier, interrupted run)
    rows_loaded: int
    duplicates: int
    rejected: int
    done: bool


@dataclass
class IngestResult:
    files_read: int = 0  # new or resumed files read by this call
    files_skipped: int = 0  # already done, unchanged
    lines_read: int = 0
    rows_loaded: int = 0
    duplicates: int = 0
    rejected: int = 0
    files: list[FileOutcome] = field(default_factory=list)

    @property
    def changed(self) -> list[FileOutcome]:
        return [item for item in self.files if item.status == "changed"]

    @property
    def failed(self) -> list[FileOutcome]:
        return [item for item in self.files if item.status == "failed"]


@dataclass(frozen=True)
class _Known:
    size: int
    sha256: str
    status: str
    lines_read: int
    finished_at: datetime | None


def prefetch(items: Iterator, depth: int = 2) -> Iterator:
    """`items`, produced on a worker thread up to `depth` ahead; its exceptions re-raised here.

    psycopg2 releases the GIL while the server works on a COPY, so parsing the next batch overlaps
    loading this one. Leaving the loop early (an exception, a crash test) stops the worker.
    """
    queue: Queue = Queue(maxsize=depth)
    stop = threading.Event()
    end = object()

    def work() -> None:
        try:
            for item in items:
                while not stop.is_set():
                    try:
                        queue.put((item, None), timeout=0.1)
                        break
                    except Full:
                        continue
                if stop.is_set():
                    return
            queue.put((end, None))
        except BaseException as error:  # handed to the consumer
            queue.put((end, error))
        finally:
            if hasattr(items, "close"):
                items.close()

    worker = threading.Thread(target=work, name="community-parse", daemon=True)
    worker.start()
    try:
        while True:
            item, error = queue.get()
            if error is not None:
                raise error
            if item is end:
                return
            yield item
    finally:
        stop.set()
        while worker.is_alive():  # unblock a worker waiting on a full queue
            try:
                queue.get(timeout=0.05)
            except Empty:
                pass
        worker.join()


def _digest(source: LandingSource, path: str) -> str:
    digest = hashlib.sha256()
    with source.open(path) as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _manifest(conn) -> dict[str, _Known]:
    with conn.cursor() as cur:
        cur.execute("select path, size, sha256, status, lines_read, finished_at from ops.community_files")
        known = {row[0]: _Known(*row[1:]) for row in cur.fetchall()}
    conn.commit()
    return known


class _FileLoader:
    """Reads one file from a line on, committing a batch at a time."""

    def __init__(self, conn, path: str, run_id: str, privacy: Privacy, now: datetime, batch_lines: int,
                 progress: Callable[[FileProgress], None] | None, compacted: list | None = None):
        self.conn, self.path, self.run_id, self.compacted = conn, path, run_id, compacted or []
        self.privacy, self.now, self.batch_lines, self.progress = privacy, now, batch_lines, progress
        self.tail_prefix = f"\t{_text(path)}\t"
        self.tail_suffix = f"\t{_text(run_id)}\n"
        self.outcome = FileOutcome(path, "loaded")

    def run(self, stream, start_line: int) -> FileOutcome:
        # Parsing (Python) runs a batch ahead of loading (the database server), on another thread.
        for batch in prefetch(self._batches(stream, start_line)):
            self._commit(*batch)
        return self.outcome

    def _batches(self, stream, start_line: int) -> Iterator[tuple]:
        """(rows by message_id, rejected, duplicates, lines, lines_read, done) per batch of lines."""
        rows: dict[str, str] = {}
        rejects: list[tuple] = []
        duplicates = pending = 0
        number = start_line
        parse, privacy, now, batch_lines = parse_line, self.privacy, self.now, self.batch_lines
        prefix, suffix = self.tail_prefix, self.tail_suffix
        for number, line in enumerate(stream, start=1):
            if number <= start_line:
                continue
            pending += 1
            line = line.rstrip(b"\r\n")
            if line and not line.isspace():
                try:
                    message_id, row = parse(line, privacy, now)
                except Malformed as error:
                    rejects.append(self._rejected(number, line, error))
                else:
                    if message_id in rows:
                        duplicates += 1
                    else:
                        rows[message_id] = f"{row}{prefix}{number}{suffix}"
            if pending >= batch_lines:
                yield rows, rejects, duplicates, pending, number, False
                rows, rejects, duplicates, pending = {}, [], 0, 0
        yield rows, rejects, duplicates, pending, max(number, start_line), True

    def _rejected(self, number: int, line: bytes, error: Malformed) -> tuple:
        if error.payload is NOT_JSON:
            payload = {"line": self.privacy.scrub_text(line.decode("utf-8", errors="replace"))}
        else:
            payload = self.privacy.scrub(error.payload)
        return (RAW_TABLE, DOMAIN, error.community_id or "-",
                f"{self.path}:{number}", orjson.dumps(payload).decode(), self.run_id, CHECK_NAME, error.reason)

    def _commit(self, rows: dict[str, str], rejects: list[tuple], duplicates: int, lines: int, lines_read: int,
                done: bool) -> None:
        loaded = too_late = 0
        try:
            with self.conn.cursor() as cur:
                # A commit need not wait for its WAL flush: the file stays the source of truth, and a
                # server crash loses whole batches (rows and manifest position together), then re-read.
                cur.execute("set local synchronous_commit = off")
                if rows:
                    # The key's index, not a scan of the whole table a fresh table's missing statistics invite.
                    cur.execute("set local enable_seqscan = off; "
                                "select message_id from raw.community_events where message_id = any(%s)",
                                (list(rows),))
                    stored = [row[0] for row in cur.fetchall()]
                    for message_id in stored:
                        del rows[message_id]
                    duplicates += len(stored)
                    if rows:
                        body = "".join(rows.values()).encode()
                        # One read of the whole buffer: psycopg2 then sends it without holding the GIL.
                        cur.copy_expert(_COPY, io.BytesIO(body), size=len(body) + 1)
                        loaded = len(rows)
                        if self.compacted:
                            cur.execute(_TOO_LATE, {"ids": list(rows), "days": self.compacted,
                                                    "check": TOO_LATE_CHECK})
                            loaded -= cur.rowcount
                            too_late = cur.rowcount
                if rejects:
                    execute_values(
                        cur,
                        "insert into ops.quarantine (raw_table, platform, account_id, record_key, payload, run_id, "
                        "check_name, reason) values %s",
                        rejects, template="(%s, %s, %s, %s, %s::jsonb, %s, %s, %s)",
                    )
                cur.execute(
                    "update ops.community_files set lines_read = %s, rows_loaded = rows_loaded + %s, "
                    "duplicates = duplicates + %s, rejected = rejected + %s, run_id = %s, "
                    "status = case when %s then 'done' else 'reading' end, "
                    "finished_at = case when %s then now() end where path = %s",
                    (lines_read, loaded, duplicates, len(rejects) + too_late, self.run_id, done, done, self.path),
                )
            self.conn.commit()
        except BaseException:
            self.conn.rollback()
            raise
        outcome = self.outcome
        outcome.lines_read += lines
        outcome.rows_loaded += loaded
        outcome.duplicates += duplicates
        outcome.rejected += len(rejects) + too_late
        if self.progress:
            self.progress(FileProgress(self.path, lines_read, outcome.rows_loaded, outcome.duplicates,
                                       outcome.rejected, done))


def ingest_landing(conn, source: LandingSource, run_id: str, settings: Settings, *,
                   batch_lines: int = BATCH_LINES,
                   progress: Callable[[FileProgress], None] | None = None) -> IngestResult:
    """Read every new (or partly read) event file of the landing area into raw.community_events.

    The warehouse must be migrated (`core.warehouse.schema.migrate`). Raises ConfigError before any
    work when IP hashing has no key.
    """
    privacy = Privacy.from_settings(settings)
    now = settings.now()
    result = IngestResult()
    with conn.cursor() as cur:
        cur.execute(_LOCK)  # held for the session: one ingest at a time
    conn.commit()
    try:
        known = _manifest(conn)
        compacted = _compacted_days(conn)
        for entry in source.list_files():
            outcome = _ingest_file(conn, source, entry, known.get(entry.path), run_id, privacy, now,
                                   batch_lines, progress, compacted)
            if outcome is None:
                result.files_skipped += 1
                continue
            result.files.append(outcome)
            if outcome.status in ("loaded", "resumed"):
                result.files_read += 1
            result.lines_read += outcome.lines_read
            result.rows_loaded += outcome.rows_loaded
            result.duplicates += outcome.duplicates
            result.rejected += outcome.rejected
    finally:
        if not conn.closed:
            conn.rollback()
            with conn.cursor() as cur:
                cur.execute(_UNLOCK)
            conn.commit()
    log.info("community files: %d read, %d skipped, %d changed; %d rows loaded, %d duplicates, %d rejected",
             result.files_read, result.files_skipped, len(result.changed), result.rows_loaded,
             result.duplicates, result.rejected)
    return result


def _compacted_days(conn) -> list:
    """Days the raw cleanup compacted (ops.community_compacted_days); read under the ingest lock."""
    with conn.cursor() as cur:
        cur.execute("select day from ops.community_compacted_days order by day")
        days = [row[0] for row in cur.fetchall()]
    conn.commit()
    return days


def _ingest_file(conn, source: LandingSource, entry: LandingFile, known: _Known | None, run_id: str,
                 privacy: Privacy, now: datetime, batch_lines: int,
                 progress: Callable[[FileProgress], None] | None, compacted: list) -> FileOutcome | None:
    path = entry.path
    sha = _digest(source, path) if known is None or known.size == entry.size else None
    if known is not None and (known.size != entry.size or known.sha256 != sha):
        when = (f"after it was loaded ({known.finished_at:%Y-%m-%d %H:%M} UTC)" if known.status == "done"
                else f"while partly read ({known.lines_read} lines loaded)")
        message = (f"{path} changed {when}: not re-read (was {known.size} bytes sha256 {known.sha256[:12]}, "
                   f"now {entry.size} bytes). Land new events in a new file")
        log.warning(message)
        return FileOutcome(path, "changed", message=message)
    if known is not None and known.status == "done":
        return None
    start_line = 0
    if known is None:
        with conn.cursor() as cur:
            cur.execute("insert into ops.community_files (path, size, sha256, status, run_id) "
                        "values (%s, %s, %s, 'reading', %s)", (path, entry.size, sha, run_id))
        conn.commit()
    else:
        start_line = known.lines_read
    loader = _FileLoader(conn, path, run_id, privacy, now, batch_lines, progress, compacted)
    if start_line:
        loader.outcome.status = "resumed"
        log.info("%s: resuming after line %d", path, start_line)
    try:
        with source.open(path) as raw, decoded(raw, path) as stream:
            # Lines read through a 1 MiB buffer: the default 8 KiB steps double gzip's decompression time.
            return loader.run(io.BufferedReader(stream, 1 << 20), start_line)
    except (OSError, EOFError, zlib.error) as error:  # unreadable (a truncated .gz): the next files still load
        outcome = loader.outcome
        outcome.status = "failed"
        outcome.message = (f"{path}: read failed after {start_line + outcome.lines_read} lines "
                           f"({type(error).__name__}: {error}); batches before it are kept")
        log.error(outcome.message)
        return outcome


def load_reference(conn, source: LandingSource) -> int:
    """Upsert <landing>/reference/communities.json into raw.community_reference; the number of communities."""
    try:
        with source.open(REFERENCE_PATH) as stream:
            data = orjson.loads(stream.read())
    except FileNotFoundError:
        log.warning("no %s in %r: community reference not loaded", REFERENCE_PATH, source)
        return 0
    if not isinstance(data, list):
        raise ValueError(f"{REFERENCE_PATH}: expected a list of communities, got a {type(data).__name__}")
    communities: dict[str, str] = {}
    for item in data:
        if isinstance(item, dict) and item.get("community_id") not in (None, ""):
            communities[str(item["community_id"])] = orjson.dumps(item).decode()
        else:
            log.warning("%s: entry without community_id skipped: %.80r", REFERENCE_PATH, item)
    if communities:
        with conn.cursor() as cur:
            execute_values(
                cur,
                "insert into raw.community_reference (community_id, payload, fetched_at) values %s "
                "on conflict (community_id) do update set payload = excluded.payload, fetched_at = now()",
                list(communities.items()), template="(%s, %s::jsonb, now())",
            )
    conn.commit()
    return len(communities)
