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


def test_a_payload_that_returns_to_an_earlier_value_is_current_again(conn):
    """A → B → A (a platform settling a day, or a bad response then a clean rerun), all at the same
    clock time: the last fetch is the newest row, so "latest version" reads A; an identical
    re-fetch stores nothing and records the fetch."""
    loader = RawLoader(conn, "run-1", None)
    for text in ("A", "B", "A"):
        assert loader.commit([batch([RawRecord("v1", {"id": "v1", "text": text})])]).inserted == 1
    assert loader.commit([batch([RawRecord("v1", {"id": "v1", "text": "A"})])]).inserted == 0
    with conn.cursor() as cur:
        cur.execute("select payload->>'text', last_fetched_at is not null from raw.youtube_videos "
                    "where record_key = 'v1' order by raw_id desc limit 1")
        assert cur.fetchone() == ("A", True)
        cur.execute("select count(*) from raw.youtube_videos where record_key = 'v1'")
        assert cur.fetchone()[0] == 3
    conn.commit()


def test_crash_mid_load_leaves_nothing_and_keeps_cursor(conn):
    loader = RawLoader(conn, "run-1")
    loader.commit([batch([RawRecord("v0", {"id": "v0"})])], cursors=[CursorUpdate("youtube", "acc", "analytics", "2026-11-01")])
    good = batch([RawRecord(f"v{i}", {"id": f"v{i}"}) for i in range(1, 100)])
    broken = batch([RawRecord("x", {"id": "x"})], table="table_that_does_not_exist")
    with pytest.raises(psycopg2.Error):
        loader.commit([good, broken], cursors=[CursorUpdate("youtube", "acc", "analytics", "2026-11-20")])
    assert count(conn) == 1  # the good batch of the failed commit is not half-written
    assert read_cursor(conn, "youtube", "acc", "analytics") == "2026-11-01"
