"""Raw loading is transactional and idempotent."""

from datetime import UTC, datetime

import psycopg2
import pytest

from core.warehouse.loader import CursorUpdate, RawBatch, RawLoader, RawRecord, read_cursor
from core.warehouse.schema import migrate

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)


@pytest.fixture
def conn(database_url):
    connection = psycopg2.connect(database_url)
    migrate(connection, ["youtube_videos"])
    yield connection
    connection.close()


def batch(records, table="youtube_videos"):
    return RawBatch(table, "youtube", "acc", "videos", {"part": "statistics"}, NOW, records)


def count(conn, table="raw.youtube_videos"):
    with conn.cursor() as cur:
        cur.execute(f"select count(*) from {table}")
        value = cur.fetchone()[0]
    conn.commit()
    return value


def test_load_and_reload_is_idempotent(conn):
    records = [RawRecord(f"v{i}", {"id": f"v{i}", "text": 'tab\there "quote" back\\slash é'}) for i in range(500)]
    loader = RawLoader(conn, "run-1", "2026-11-20")
    assert loader.commit([batch(records)]).inserted == 500
    assert loader.commit([batch(records)]).inserted == 0
    changed = [RawRecord("v1", {"id": "v1", "text": "changed"})]
    assert loader.commit([batch(changed)]).inserted == 1  # a changed snapshot is history, kept
    with conn.cursor() as cur:
        cur.execute("select payload->>'text' from raw.youtube_videos where record_key = 'v2'")
        assert cur.fetchone()[0] == 'tab\there "quote" back\\slash é'


def test_crash_mid_load_leaves_nothing_and_keeps_cursor(conn):
    loader = RawLoader(conn, "run-1")
    loader.commit([batch([RawRecord("v0", {"id": "v0"})])], cursors=[CursorUpdate("youtube", "acc", "analytics", "2026-11-01")])
    good = batch([RawRecord(f"v{i}", {"id": f"v{i}"}) for i in range(1, 100)])
    broken = batch([RawRecord("x", {"id": "x"})], table="table_that_does_not_exist")
    with pytest.raises(psycopg2.Error):
        loader.commit([good, broken], cursors=[CursorUpdate("youtube", "acc", "analytics", "2026-11-20")])
    assert count(conn) == 1  # the good batch of the failed commit is not half-written
    assert read_cursor(conn, "youtube", "acc", "analytics") == "2026-11-01"
