"""Community event files into the warehouse: loads, dedupe, quarantine, resume, manifest, privacy."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from core.settings import ConfigError, load_settings
from ingestion.community import LocalFolder, ingest_landing, load_reference

LANDING = Path(__file__).parent.parent / "fixtures" / "community" / "landing"
F1 = "events/2026-11-19/230000-0001.ndjson"
F2 = "events/2026-11-20/010000-0002.ndjson.gz"
F3 = "events/2026-11-20/020000-0003.ndjson"
CLEAR_IPS = ["203.0.113.7", "2001:db8:85a3::8a2e:370:7334", "198.51.100.23", "198.51.100.99", "192.0.2.55",
             "192.0.2.200", "198.51.100.10", "198.51.100.21"]
CLEAR_UA = ["Mozilla", "AppleWebKit", "Gecko", "Googlebot", "Edg/", "iPhone OS", "Windows NT"]
MANIFEST = {  # path: (lines_read, rows_loaded, duplicates, rejected, status)
    F1: (10, 7, 0, 2, "done"),
    F2: (10, 3, 2, 5, "done"),
    F3: (12, 12, 0, 0, "done"),
}


def _all(conn, query, *args):
    with conn.cursor() as cur:
        cur.execute(query, args)
        rows = cur.fetchall()
    conn.commit()
    return rows


def _manifest(conn):
    return {row[0]: tuple(row[1:]) for row in _all(
        conn, "select path, lines_read, rows_loaded, duplicates, rejected, status from ops.community_files")}


def _events(conn):
    return _all(conn, "select message_id, source_file, source_line from raw.community_events order by 1")


def _quarantine(conn):
    return _all(conn, "select record_key, account_id, reason from ops.quarantine order by quarantine_id")


def test_loads_dedupes_and_quarantines(conn, settings):
    assert load_reference(conn, LocalFolder(LANDING)) == 3
    progress = []
    result = ingest_landing(conn, LocalFolder(LANDING), "run-1", settings, progress=progress.append)
    assert (result.files_read, result.rows_loaded, result.duplicates, result.rejected) == (3, 22, 2, 7)
    assert [(f.path, f.status) for f in result.files] == [(F1, "loaded"), (F2, "loaded"), (F3, "loaded")]
    assert _manifest(conn) == MANIFEST
    assert [p.done for p in progress] == [True, True, True]

    events = {row[0]: row[1:] for row in _events(conn)}
    assert len(events) == 22
    assert events["m-003"] == (F1, 3)  # the first delivery wins; the gz redelivery is a duplicate
    assert events["m-101"] == (F2, 2)  # a late event (3 days before its file) loads
    assert events["m-108"] == (F2, 9)
    assert "m-007" in events  # an unknown event name loads
    row = _all(conn, "select type, event, user_id, anonymous_id, event_at, received_at, context, properties, traits "
                     "from raw.community_events where message_id = 'm-003'")[0]
    assert row[0:4] == ("track", "community_activity", "u1", None)
    assert row[4].isoformat() == "2026-11-19T22:01:00+00:00"
    assert row[6]["user_agent"] == {"device_class": "desktop", "browser_family": "Chrome"}
    assert len(row[6]["ip"]) == 64 and row[6]["location"]["city"] == "Berlin"
    assert row[7]["community_id"] == "c1" and row[8] is None
    error = _all(conn, "select properties from raw.community_events where message_id = 'm-006'")[0][0]
    assert error["user_agent"] == {"device_class": "tablet", "browser_family": "Safari"}
    assert len(error["ip_address"]) == 64

    quarantined = _quarantine(conn)
    assert [(key, account) for key, account, _ in quarantined] == [
        (f"{F1}:5", "-"), (f"{F1}:8", "c1"), (f"{F2}:3", "c2"), (f"{F2}:4", "-"), (f"{F2}:5", "-"),
        (f"{F2}:6", "c3"), (f"{F2}:7", "-")]
    reasons = [reason for _, _, reason in quarantined]
    for expected, reason in zip(["not JSON", "missing message_id", "more than 5 years", "more than 1 day after",
                                 "unknown type 'screen'", "not an ISO-8601", "not a JSON object"], reasons,
                                strict=True):
        assert expected in reason
    meta = _all(conn, "select distinct raw_table, raw_id, platform, check_name, run_id from ops.quarantine")
    assert meta == [("community_events", None, "community", "community_event_shape", "run-1")]
    not_json = _all(conn, "select payload from ops.quarantine where record_key = %s", f"{F1}:5")[0][0]
    assert set(not_json) == {"line"} and '"message_id": "m-005"' in not_json["line"]
    reference = _all(conn, "select community_id, payload->'geo_rules'->'allowed_countries' from "
                           "raw.community_reference order by 1")
    assert reference == [("c1", []), ("c2", ["DE", "AT"]), ("c3", [])]


def test_second_call_reads_nothing(conn, settings):
    ingest_landing(conn, LocalFolder(LANDING), "run-1", settings)
    before = (_events(conn), _quarantine(conn), _manifest(conn))
    again = ingest_landing(conn, LocalFolder(LANDING), "run-2", settings)
    assert (again.files_read, again.files_skipped, again.lines_read, again.rows_loaded, again.files) == (0, 3, 0, 0, [])
    assert (_events(conn), _quarantine(conn), _manifest(conn)) == before
    assert load_reference(conn, LocalFolder(LANDING)) == 3  # an upsert: still one row per community
    assert _all(conn, "select count(*) from raw.community_reference") == [(3,)]


class Crash(RuntimeError):
    pass


def test_resume_after_a_crash_mid_file(conn, settings):
    def crash_after_first_batch(progress):
        raise Crash(progress)

    with pytest.raises(Crash):
        ingest_landing(conn, LocalFolder(LANDING), "run-1", settings, batch_lines=4, progress=crash_after_first_batch)
    # The first batch (lines 1-4 of the first file) committed with its manifest position; nothing else.
    assert _manifest(conn) == {F1: (4, 4, 0, 0, "reading")}
    assert [row[0] for row in _events(conn)] == ["m-001", "m-002", "m-003", "m-004"]
    assert _quarantine(conn) == []

    result = ingest_landing(conn, LocalFolder(LANDING), "run-2", settings, batch_lines=4)
    assert [(f.path, f.status, f.lines_read) for f in result.files] == [
        (F1, "resumed", 6), (F2, "loaded", 10), (F3, "loaded", 12)]
    assert (result.rows_loaded, result.duplicates, result.rejected) == (18, 2, 7)
    assert _manifest(conn) == MANIFEST  # as a run without the crash: nothing lost, nothing counted twice
    assert len(_events(conn)) == 22 and len(_quarantine(conn)) == 7


def test_a_changed_file_is_reported_not_reread(conn, settings, tmp_path):
    landing = tmp_path / "landing"
    shutil.copytree(LANDING, landing)
    ingest_landing(conn, LocalFolder(landing), "run-1", settings)
    with (landing / F3).open("a") as handle:
        handle.write('\n{"message_id": "m-late", "type": "page", "timestamp": "2026-11-20T03:00:00+00:00"}\n')
    result = ingest_landing(conn, LocalFolder(landing), "run-2", settings)
    assert [(f.path, f.status) for f in result.changed] == [(F3, "changed")]
    assert "not re-read" in result.changed[0].message
    assert (result.files_read, result.rows_loaded) == (0, 0)
    assert _manifest(conn) == MANIFEST and len(_events(conn)) == 22


def test_an_unreadable_file_fails_alone(conn, settings, tmp_path):
    landing = tmp_path / "landing"
    shutil.copytree(LANDING, landing)
    (landing / F2).write_bytes((landing / F2).read_bytes()[:300])  # a truncated .gz
    result = ingest_landing(conn, LocalFolder(landing), "run-1", settings, batch_lines=2)
    assert [(f.path, f.status) for f in result.files] == [(F1, "loaded"), (F2, "failed"), (F3, "loaded")]
    assert "read failed" in result.failed[0].message
    assert _manifest(conn)[F2][4] == "reading" and _manifest(conn)[F3] == MANIFEST[F3]


def _dump(conn) -> str:
    tables = _all(conn, "select table_schema, table_name from information_schema.tables "
                        "where table_schema in ('raw', 'ops') and table_type = 'BASE TABLE'")
    text = []
    for schema, table in tables:
        text += [row[0] for row in _all(conn, f'select t::text from "{schema}"."{table}" t')]
    return "\n".join(text)


@pytest.mark.parametrize("mode", ["hash", "truncate"])
def test_no_clear_ip_or_user_agent_in_the_database(conn, settings, mode, monkeypatch):
    monkeypatch.setenv("TIDEMARK_IP_MODE", mode)
    ingest_landing(conn, LocalFolder(LANDING), "run-1", load_settings(_env_file=None))
    dump = _dump(conn)
    assert "m-003" in dump and "community_event_shape" in dump  # the dump does hold the events and rejections
    for clear in CLEAR_IPS + CLEAR_UA:
        assert clear not in dump, clear
    context = _all(conn, "select context->>'ip' from raw.community_events where message_id in ('m-001', 'm-003') "
                         "order by message_id")
    if mode == "truncate":
        assert context == [("203.0.113.0/24",), ("2001:db8:85a3::/48",)]
    else:
        assert all(len(ip) == 64 for ip, in context)


def test_hash_mode_without_a_key_stops_before_any_work(conn, tidemark_env):
    with pytest.raises(ConfigError, match="TIDEMARK_IP_HASH_KEY"):
        ingest_landing(conn, LocalFolder(LANDING), "run-1", load_settings(_env_file=None))
    assert _manifest(conn) == {} and _events(conn) == []
