"""The landing writer: durable appends, rotation by rename, crash recovery, no partial call on disk."""

from __future__ import annotations

import fcntl
import os
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from ingestion.community.collector import writer as writer_module
from ingestion.community.collector.writer import LandingWriter, recover
from ingestion.community.source import LocalFolder


def _line(n: int) -> bytes:
    return b'{"message_id":"m%d"}\n' % n


def test_a_file_is_invisible_to_the_ingestion_until_finished(tmp_path):
    writer = LandingWriter(tmp_path, clock=lambda: datetime(2026, 11, 20, 10, 0, tzinfo=UTC))
    writer.append(_line(1), 1)
    assert LocalFolder(tmp_path).list_files() == []  # the .part being filled is not listed
    [part] = tmp_path.rglob("*.part")
    assert part.read_bytes() == _line(1)  # on disk before append returned
    final = writer.rotate()
    assert final.parent.name == "2026-11-20" and final.name.endswith(".ndjson")
    assert [f.path for f in LocalFolder(tmp_path).list_files()] == [f"events/2026-11-20/{final.name}"]
    assert writer.rotate() is None  # nothing new: no empty file


def test_rotation_by_size_age_and_day(tmp_path):
    now = [datetime(2026, 11, 20, 23, 59, 59, tzinfo=UTC)]
    writer = LandingWriter(tmp_path, max_bytes=3 * len(_line(0)), max_age_s=3600, clock=lambda: now[0])
    for n in range(7):
        writer.append(_line(n), 1)
    assert len(writer.finished) == 2  # two full files; the seventh line fills the third
    assert not writer.due()
    now[0] += timedelta(seconds=2)  # the UTC day changed
    assert writer.due()
    writer.rotate()
    writer.append(_line(7), 1)
    writer.close()
    assert [p.parent.name for p in writer.finished] == ["2026-11-20"] * 3 + ["2026-11-21"]
    lines = b"".join(p.read_bytes() for p in writer.finished)
    assert lines == b"".join(_line(n) for n in range(8))


def test_concurrent_appends_share_fsyncs_and_lose_nothing(tmp_path, monkeypatch):
    syncs = []
    real_fsync = os.fsync
    monkeypatch.setattr(writer_module.os, "fsync", lambda fd: (syncs.append(fd), real_fsync(fd)))
    writer = LandingWriter(tmp_path, max_bytes=4096)
    threads = [threading.Thread(target=lambda w=w: [writer.append(_line(w * 1000 + n), 1) for n in range(100)])
               for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    writer.close()
    lines = b"".join(p.read_bytes() for p in writer.finished).splitlines(keepends=True)
    assert sorted(lines) == sorted(_line(w * 1000 + n) for w in range(8) for n in range(100))
    # at most one fsync per call (plus a file's and its folder's at open and rotation); usually far fewer
    assert len(syncs) <= 800 + 3 * len(writer.finished)


def test_a_failed_write_leaves_no_partial_call(tmp_path, monkeypatch):
    writer = LandingWriter(tmp_path)
    writer.append(_line(1), 1)
    real_write = os.write

    def half_then_full(fd, data):
        real_write(fd, bytes(data[: len(data) // 2]))
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writer_module.os, "write", half_then_full)
    with pytest.raises(OSError):
        writer.append(_line(2) + _line(3), 2)
    monkeypatch.setattr(writer_module.os, "write", real_write)
    writer.append(_line(4), 1)
    writer.close()
    assert writer.finished[0].read_bytes() == _line(1) + _line(4)


def test_recover_finishes_a_dead_collectors_file_and_cuts_its_torn_line(tmp_path):
    folder = tmp_path / "events" / "2026-11-20"
    folder.mkdir(parents=True)
    dead = folder / "collector-100000-1-aaaaaa-000001.ndjson.part"
    dead.write_bytes(_line(1) + _line(2) + b'{"message_id":"m3"')  # killed mid-write: m3 never acknowledged
    empty = folder / "collector-100000-1-aaaaaa-000002.ndjson.part"
    empty.write_bytes(b'{"mess')
    live = folder / "collector-100000-2-bbbbbb-000001.ndjson.part"
    live.write_bytes(_line(9))
    holder = os.open(live, os.O_RDONLY)
    fcntl.flock(holder, fcntl.LOCK_EX)  # a running collector holds its file
    try:
        finished = recover(tmp_path)
    finally:
        os.close(holder)
    assert finished == [folder / "collector-100000-1-aaaaaa-000001.ndjson"]
    assert finished[0].read_bytes() == _line(1) + _line(2)
    assert not empty.exists() and live.exists()
    assert [Path(f.path).name for f in LocalFolder(tmp_path).list_files()] == [finished[0].name]
