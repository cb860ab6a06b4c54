"""Durable appends to the landing folder: a `.part` file being filled, renamed when complete.

The file ingestion lists only `*.ndjson` names, so it never sees a file still growing (it would
read a half-written last line, and the manifest would then call the grown file "changed"). The
collector appends to `events/<day>/collector-<time>-<instance>-<seq>.ndjson.part`, fsyncs before
a call is answered 2xx, and renames the file to its final `.ndjson` name when it reaches
`max_bytes`, is `max_age_s` old, the UTC day changes, or the collector stops.

Concurrent calls share fsyncs (group commit): each call writes its lines under one lock, then
waits until some fsync covers them; one fsync serves every call written before it started.
A write that fails (disk full) is cut off again, so a file never holds part of a call.

A collector that dies (SIGKILL, power loss) leaves its `.part`; the next start renames it once no
live collector holds its lock (`recover`), cutting an unfinished last line, never acknowledged.
"""

from __future__ import annotations

import fcntl
import logging
import os
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ingestion.community.source import EVENTS_PREFIX

log = logging.getLogger(__name__)

PART = ".part"
PATTERN = "collector-*.ndjson" + PART
MAX_BYTES = 64 << 20
MAX_AGE_S = 60.0


@dataclass
class _Open:
    path: Path
    fd: int
    day: str
    opened: float  # monotonic
    size: int = 0
    lines: int = 0


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _finish(path: Path) -> Path:
    """Rename a complete `.part` to its final name (seen by the file ingestion from now on)."""
    final = path.with_name(path.name[: -len(PART)])
    os.rename(path, final)
    _fsync_dir(path.parent)
    return final


class LandingWriter:
    def __init__(self, landing: Path, max_bytes: int = MAX_BYTES, max_age_s: float = MAX_AGE_S,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)):
        self.events = Path(landing) / EVENTS_PREFIX
        self.max_bytes, self.max_age_s, self.clock = max_bytes, max_age_s, clock
        self.instance = uuid.uuid4().hex[:6]  # names stay unique across hosts sharing a folder
        self._write_lock = threading.Lock()  # order: _sync_lock before _write_lock
        self._sync_lock = threading.Lock()
        self._current: _Open | None = None
        self._seq = 0  # files opened
        self._written = 0  # appends written
        self._synced = 0  # appends covered by an fsync
        self.finished: list[Path] = []

    def append(self, data: bytes, lines: int) -> None:
        """`data` (whole NDJSON lines) is on disk when this returns; OSError: nothing of it is."""
        with self._write_lock:
            current = self._current or self._open()
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(current.fd, view):]
            except OSError:
                os.ftruncate(current.fd, current.size)
                raise
            current.size += len(data)
            current.lines += lines
            self._written += 1
            ticket = self._written
        self._sync(ticket)
        if current.size >= self.max_bytes:
            self.rotate(only=current)

    def _sync(self, ticket: int) -> None:
        with self._sync_lock:
            if self._synced >= ticket:  # someone's fsync (or a rotation) already covered it
                return
            with self._write_lock:
                covered, current = self._written, self._current
            os.fsync(current.fd)  # appends ≤ ticket not in `current` were synced by the rotation that closed theirs
            self._synced = covered

    def _open(self) -> _Open:
        now = self.clock()
        day = f"{now:%Y-%m-%d}"
        folder = self.events / day
        folder.mkdir(parents=True, exist_ok=True)
        self._seq += 1
        path = folder / f"collector-{now:%H%M%S}-{os.getpid()}-{self.instance}-{self._seq:06d}.ndjson{PART}"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o640)
        fcntl.flock(fd, fcntl.LOCK_EX)  # `recover` in another collector leaves it alone while we live
        _fsync_dir(folder)
        self._current = _Open(path, fd, day, time.monotonic())
        return self._current

    def rotate(self, only: _Open | None = None) -> Path | None:
        """Finish the current file (if it holds anything, and is `only` when given): its final path."""
        with self._sync_lock:
            with self._write_lock:
                current = self._current
                if current is None or current.size == 0 or (only is not None and current is not only):
                    return None
                self._current = None
                covered = self._written
            os.fsync(current.fd)
            os.close(current.fd)
            final = _finish(current.path)
            self._synced = covered
        log.info("landed %s (%d events, %d bytes)", final.name, current.lines, current.size)
        self.finished.append(final)
        return final

    def due(self) -> bool:
        """Whether the current file should be finished now (old enough, or the UTC day changed)."""
        current = self._current
        return current is not None and current.size > 0 and (
            time.monotonic() - current.opened >= self.max_age_s or f"{self.clock():%Y-%m-%d}" != current.day)

    def close(self) -> None:
        self.rotate()
        with self._write_lock:
            if self._current is not None:  # opened, nothing written
                os.close(self._current.fd)
                self._current.path.unlink(missing_ok=True)
                self._current = None


def recover(landing: Path) -> list[Path]:
    """Finish the `.part` files of collectors that died: their acknowledged lines land, a torn last
    line (never acknowledged) is cut. Files a live collector holds are left alone."""
    finished = []
    for path in sorted((Path(landing) / EVENTS_PREFIX).glob(f"*/{PATTERN}")):
        fd = os.open(path, os.O_RDWR)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # a live collector's file
            size = os.fstat(fd).st_size
            keep = _whole_lines(fd, size)
            if keep < size:
                log.warning("%s: cut %d bytes of an unfinished last line (never acknowledged)", path.name,
                            size - keep)
                os.ftruncate(fd, keep)
            os.fsync(fd)
        finally:
            os.close(fd)
        if keep == 0:
            path.unlink()
            continue
        finished.append(_finish(path))
        log.info("recovered %s from a collector that stopped without finishing it", finished[-1].name)
    return finished


def _whole_lines(fd: int, size: int) -> int:
    """Bytes up to and including the last newline."""
    position = size
    while position > 0:
        start = max(0, position - 65536)
        chunk = os.pread(fd, position - start, start)
        newline = chunk.rfind(b"\n")
        if newline >= 0:
            return start + newline + 1
        position = start
    return 0
