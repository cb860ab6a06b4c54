"""The HTTP collector end to end: real server, real httpx clients, the real file ingestion into Postgres.

What a 2xx acknowledged is exactly what reaches raw.community_events after ingestion: every call
type, batches, concurrent clients, redeliveries (counted once), and a collector killed mid-load.
"""

from __future__ import annotations

import gzip
import logging
import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import httpx
import orjson
import pytest

from ingestion.community import LocalFolder, ingest_landing
from ingestion.community.collector import Collector, recover

ROOT = Path(__file__).parent.parent.parent
IP_V4, IP_V6, IP_ERROR = "203.0.113.77", "2001:db8:85a3::8a2e:370:7334", "198.51.100.42"
SEED_CALLS = [  # seed 004's "Example Usage", verbatim
    ("/api/community-analytics/track/", {"community_id": 123, "user_id": 456, "activity_type": "view",
                                         "metadata": {"section": "posts", "duration": 120}}),
    ("/api/geo-analytics/track/", {"community_id": 123, "user_id": 456,
                                   "location": {"country": "United States", "city": "New York", "region": "New York"},
                                   "access_result": "allowed", "is_traveler": False}),
    ("/api/metrics/", {"metric_type": "cpu_usage", "value": 42.5}),
    ("/api/errors/", {"level": "error", "message": "Unhandled exception in view.", "stack_trace": "Traceback...",
                      "url": "/c/123", "method": "GET", "ip_address": IP_ERROR,
                      "user_agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0", "extra_data": {"k": 1}}),
]


@pytest.fixture
def landing(tmp_path):
    return tmp_path / "landing"


@pytest.fixture
def collector(landing):
    server = Collector(landing).start()
    yield server
    server.stop()


def _all(conn, query, *args):
    with conn.cursor() as cur:
        cur.execute(query, args)
        rows = cur.fetchall()
    conn.commit()
    return rows


def _landed_lines(landing: Path) -> list[bytes]:
    return [line for path in sorted(landing.rglob("*.ndjson")) for line in path.read_bytes().splitlines()]


def _ingest(conn, landing, settings, run_id="run-1"):
    return ingest_landing(conn, LocalFolder(landing), run_id, settings)


def test_every_call_type_lands_and_reaches_raw(collector, landing, conn, settings):
    acked = []
    with httpx.Client(base_url=collector.url, timeout=10) as client:
        for path, body in SEED_CALLS:
            response = client.post(path, json=body)
            assert response.status_code == 200, response.text
            acked += response.json()["message_ids"]
        envelopes = [  # Segment's HTTP API shape, camelCase as its SDKs send it
            ("/v1/track", {"userId": "u1", "event": "follow", "properties": {"target_user_id": "u2"},
                           "timestamp": "2026-11-20T10:00:00+01:00", "context": {"ip": IP_V4}}),
            ("/v1/page", {"anonymousId": "a1", "properties": {"path": "/c/123", "community_id": 123},
                          "context": {"ip": IP_V6}}),
            ("/v1/identify", {"userId": "u1", "traits": {"registration_country": "DE",
                                                         "joined_at": "2026-01-02T00:00:00Z"}}),
        ]
        for path, body in envelopes:
            response = client.post(path, json=body)
            assert response.status_code == 200, response.text
            acked += response.json()["message_ids"]
    collector.stop()  # finishes the file being filled
    assert list(landing.rglob("*.part")) == []
    assert len(_landed_lines(landing)) == len(acked) == 7

    result = _ingest(conn, landing, settings)
    assert (result.rows_loaded, result.duplicates, result.rejected) == (7, 0, 0)
    rows = {row[0]: row[1:] for row in _all(
        conn, "select message_id, type, event, user_id, anonymous_id, properties, context, traits "
              "from raw.community_events")}
    assert sorted(rows) == sorted(acked)
    by_event = {(kind, event): (user, anon, props, ctx, traits) for kind, event, user, anon, props, ctx, traits
                in rows.values()}
    _, _, activity, _, _ = by_event[("track", "community_activity")]
    assert by_event[("track", "community_activity")][0] == "456"
    assert activity == {"community_id": "123", "activity_type": "view", "metadata": {"section": "posts",
                                                                                     "duration": 120}}
    _, _, geo, geo_context, _ = by_event[("track", "geo_access_attempt")]
    assert (geo["access_result"], geo["is_traveler"], geo["location"]["city"]) == ("allowed", False, "New York")
    assert geo_context["location"] == {"country": "United States", "region": "New York", "city": "New York"}
    assert by_event[("track", "system_metric")][2] == {"metric_type": "cpu_usage", "value": 42.5}
    error = by_event[("track", "error_log")][2]
    assert error["error_id"] in acked and error["level"] == "error" and error["extra_data"] == {"k": 1}
    assert error["ip_address"] != IP_ERROR and error["user_agent"] == {"device_class": "desktop",
                                                                      "browser_family": "Chrome"}
    assert by_event[("track", "follow")][2] == {"target_user_id": "u2"}
    assert by_event[("page", None)][1] == "a1"
    assert by_event[("identify", None)][4]["registration_country"] == "DE"
    event_at = _all(conn, "select event_at from raw.community_events where event = 'follow'")[0][0]
    assert event_at.isoformat() == "2026-11-20T09:00:00+00:00"
    stored = str(_all(conn, "select json_agg(e) from raw.community_events e")[0][0])
    for clear in (IP_V4, IP_V6, IP_ERROR):
        assert clear not in stored


def test_a_redelivery_is_counted_once(collector, landing, conn, settings):
    call = {"message_id": "m-dup-1", "user_id": "u1", "event": "community_activity",
            "properties": {"community_id": "c1", "activity_type": "like"}}
    with httpx.Client(base_url=collector.url, timeout=10) as client:
        assert client.post("/v1/track", json=call).json()["message_ids"] == ["m-dup-1"]
        assert client.post("/v1/batch", json={"batch": [{"type": "track", **call}]}).status_code == 200
        seed = dict(SEED_CALLS[0][1], message_id="m-dup-2")
        assert client.post("/api/community-analytics/track/", json=seed).status_code == 200
        assert client.post("/api/community-analytics/track/", json=seed).status_code == 200
    collector.stop()
    assert len(_landed_lines(landing)) == 4  # the collector is at-least-once: dedupe is the ingestion's
    result = _ingest(conn, landing, settings)
    assert (result.rows_loaded, result.duplicates) == (2, 2)
    assert _all(conn, "select message_id from raw.community_events order by 1") == [("m-dup-1",), ("m-dup-2",)]


BAD_CALLS = [  # (path, body or raw bytes, status, words the error must contain)
    ("/api/metrics/", {"metric_type": "cpu_usage", "value": "high"}, 400, "value: expected a number"),
    ("/api/metrics/", {"value": 1}, 400, "metric_type: missing"),
    ("/api/community-analytics/track/", {"community_id": 1, "user_id": 2, "activity_type": "jump"}, 400,
     "activity_type: expected one of view"),
    ("/api/community-analytics/track/", {"community_id": 1, "activity_type": "view"}, 400, "user_id: missing"),
    ("/api/geo-analytics/track/", {"community_id": 1, "user_id": 2, "access_result": "maybe"}, 400,
     "access_result: expected one of allowed, blocked"),
    ("/api/geo-analytics/track/", {"community_id": 1, "user_id": 2, "access_result": "blocked",
                                   "is_traveler": "yes"}, 400, "is_traveler: expected true or false"),
    ("/api/errors/", {"level": "fatal", "message": "x"}, 400, "level: expected one of debug"),
    ("/v1/track", {"userId": "u1"}, 400, "a track call needs the event's name"),
    ("/v1/track", {"userId": "u1", "event": "x", "timestamp": "2026-11-20 10:00"}, 400, "timestamp has no UTC offset"),
    ("/v1/track", {"userId": "u1", "event": "x", "timestamp": "2015-01-01T00:00:00Z"}, 400, "more than 5 years"),
    ("/v1/track", {"type": "page", "userId": "u1"}, 400, "type: is 'page' on the track endpoint"),
    ("/v1/identify", {"userId": "u1", "traits": {"joined_at": "soon"}}, 400, "traits.joined_at: expected an ISO"),
    ("/v1/track", b"{not json", 400, "the body is not JSON"),
    ("/v1/track", b"[1, 2]", 400, "body: expected a JSON object"),
    ("/v1/track", b"x" * 40_000, 413, "at most 32768"),
    ("/v1/batch", {"batch": []}, 400, "batch: is empty"),
    ("/v1/batch", {"events": []}, 400, "batch: expected a list of calls"),
    ("/api/daily/", {"date": "2026-11-20"}, 404, "no such endpoint"),
]


def test_bad_input_is_refused_with_a_clear_message_and_nothing_is_stored(collector, landing, conn, settings):
    with httpx.Client(base_url=collector.url, timeout=10) as client:
        for path, body, status, words in BAD_CALLS:
            response = (client.post(path, content=body) if isinstance(body, bytes) else client.post(path, json=body))
            assert (response.status_code, words in response.json()["error"]) == (status, True), (path, response.text)
            assert response.json()["success"] is False
        # the connection is still usable after every refusal (keep-alive with an unread or a read body)
        good = client.post("/api/metrics/", json={"metric_type": "cpu_usage", "value": 1})
        assert good.status_code == 200
        assert client.get("/api/metrics/").status_code == 405
    collector.stop()
    assert len(_landed_lines(landing)) == 1
    result = _ingest(conn, landing, settings)
    assert (result.rows_loaded, result.rejected) == (1, 0)


def test_batch_is_all_or_nothing(collector, landing, conn, settings):
    items = [{"type": "track", "userId": f"u{i}", "event": "community_activity",
              "properties": {"community_id": "c1", "activity_type": "view"}} for i in range(50)]
    with httpx.Client(base_url=collector.url, timeout=10) as client:
        bad = list(items)
        bad[7] = {"type": "track", "userId": "u7", "event": "system_metric", "properties": {"metric_type": "cpu"}}
        bad[31] = {"type": "alias", "userId": "u31"}
        response = client.post("/v1/batch", json={"batch": bad})
        assert response.status_code == 400
        body = response.json()
        assert "2 of 50 batch items are invalid (indexes 7, 31); nothing of this batch was stored" in body["error"]
        assert [(item["index"], item["field"]) for item in body["items"]] == [(7, "properties.value"), (31, "type")]
        ok = client.post("/v1/batch", json={"batch": items, "sentAt": "2026-11-20T11:59:59Z",
                                            "context": {"library": {"name": "analytics-python"}}})
        assert ok.status_code == 200 and ok.json()["count"] == 50
    collector.stop()
    assert len(_landed_lines(landing)) == 50
    assert _ingest(conn, landing, settings).rows_loaded == 50
    sent = _all(conn, "select distinct sent_at, context -> 'library' ->> 'name' from raw.community_events")
    assert [(s.isoformat(), name) for s, name in sent] == [("2026-11-20T11:59:59+00:00", "analytics-python")]


def test_concurrent_clients_lose_nothing(landing, conn, settings):
    collector = Collector(landing, max_bytes=20_000).start()  # small files: rotation under load too
    acked: list[str] = []
    lock = threading.Lock()
    failures: list[str] = []

    def client_loop(worker: int) -> None:
        with httpx.Client(base_url=collector.url, timeout=30) as client:
            for n in range(40):
                if n % 10 == 0:
                    body = {"batch": [{"type": "track", "anonymousId": f"w{worker}", "event": "api_request",
                                       "properties": {"method": "GET", "path": "/", "status": 200,
                                                      "response_time_ms": n}} for _ in range(5)]}
                    response = client.post("/v1/batch", json=body)
                else:
                    response = client.post("/api/metrics/", json={"metric_type": "queue_depth", "value": n})
                if response.status_code != 200:
                    failures.append(response.text)
                    continue
                with lock:
                    acked.extend(response.json()["message_ids"])

    threads = [threading.Thread(target=client_loop, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    collector.stop()
    assert failures == []
    assert len(acked) == len(set(acked)) == 8 * (36 + 4 * 5)
    assert len(collector.writer.finished) > 1
    assert len(_landed_lines(landing)) == len(acked)
    assert _ingest(conn, landing, settings).rows_loaded == len(acked)
    assert {row[0] for row in _all(conn, "select message_id from raw.community_events")} == set(acked)


def test_a_killed_collector_loses_nothing_it_acknowledged(landing, conn, settings, tmp_path):
    """SIGKILL in the middle of a load: every acknowledged event is in raw after restart + ingestion."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), TIDEMARK_HOME=str(tmp_path / "home"))
    process = subprocess.Popen(
        [sys.executable, "-m", "tidemark.cli", "collect", "--port", "0", "--landing", str(landing)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = re.search(r"http://127\.0\.0\.1:\d+", process.stdout.readline()).group(0)
        acked, sent = _load_until_killed(url, process)
    finally:
        process.kill()
        process.wait()
    stderr = process.stderr.read()
    assert len(acked) > 100
    parts = list(landing.rglob("*.part"))
    assert parts, "the kill should have left the file being filled"
    assert [path.name for path in recover(landing)] == [path.name[: -len(".part")] for path in sorted(parts)]
    landed = {line.split(b'"message_id":"')[1].split(b'"')[0].decode() for line in _landed_lines(landing)}
    assert set(acked) <= landed <= set(sent)  # a write answered after the kill may land unacknowledged
    result = _ingest(conn, landing, settings)
    assert result.rejected == 0
    stored = {row[0] for row in _all(conn, "select message_id from raw.community_events")}
    assert stored == landed and set(acked) <= stored
    assert IP_V4 not in stderr and "203.0.113" not in stderr


def _load_until_killed(url: str, process: subprocess.Popen) -> tuple[list[str], list[str]]:
    """Four clients post (own message_ids, clear IPs in context) until the collector is SIGKILLed
    after ~0.7 s of load; returns (acknowledged, sent) message ids."""
    acked: list[str] = []
    sent: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()

    def client_loop(worker: int) -> None:
        with httpx.Client(base_url=url, timeout=10) as client:
            while not stop.is_set():
                ids = [f"k{worker}-{uuid.uuid4().hex[:12]}" for _ in range(3)]
                body = {"batch": [{"type": "track", "messageId": mid, "userId": f"u{worker}",
                                   "event": "community_activity", "context": {"ip": IP_V4},
                                   "properties": {"community_id": "c1", "activity_type": "heartbeat"}}
                                  for mid in ids]}
                with lock:
                    sent.extend(ids)
                try:
                    response = client.post("/v1/batch", json=body)
                except httpx.HTTPError:
                    return  # the collector is gone
                if response.status_code == 200:
                    with lock:
                        acked.extend(response.json()["message_ids"])

    threads = [threading.Thread(target=client_loop, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 30
    while len(acked) < 150 and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    stop.set()
    for thread in threads:
        thread.join()
    return acked, sent


def test_logs_name_no_ip_and_no_body(collector, caplog):
    caplog.set_level(logging.DEBUG)
    with httpx.Client(base_url=collector.url, timeout=10) as client:
        client.post("/v1/track", json={"userId": "u1", "event": "x", "context": {"ip": IP_V4}})
        client.post("/api/errors/", json={"level": "error", "message": f"bad {IP_ERROR}", "ip_address": IP_ERROR})
        client.post("/v1/track", json={"userId": "u1", "event": "x", "timestamp": f"at {IP_V4}"})  # refused
        client.post(f"/v1/{IP_V6}", json={})  # an unknown path
    collector.stop()
    # the collector's own lines (httpx, the client here, logs its URL)
    text = "\n".join(record.getMessage() for record in caplog.records if not record.name.startswith("http"))
    assert "POST /v1/track 200" in text and "POST /v1/track 400" in text and "landed collector-" in text
    for clear in (IP_V4, IP_V6, IP_ERROR, "127.0.0.1", "bad "):
        assert clear not in text


def test_a_gzipped_batch_is_accepted_and_a_gzip_bomb_is_not(collector, landing):
    items = [{"type": "page", "userId": "u1", "properties": {"path": f"/c/{n}"}} for n in range(20)]
    headers = {"Content-Encoding": "gzip", "Content-Type": "application/json"}
    with httpx.Client(base_url=collector.url, timeout=10) as client:
        body = gzip.compress(orjson.dumps({"batch": items}))
        assert client.post("/v1/batch", content=body, headers=headers).json()["count"] == 20
        bomb = gzip.compress(b'{"batch": [' + b" " * 2_000_000 + b"]}")
        response = client.post("/v1/batch", content=bomb, headers=headers)
        assert response.status_code == 413 and "uncompressed body is more than" in response.json()["error"]
    collector.stop()
    assert len(_landed_lines(landing)) == 20


def test_a_write_key_is_required_when_configured(landing):
    collector = Collector(landing, write_key="wk-secret").start()
    try:
        with httpx.Client(base_url=collector.url, timeout=10) as client:
            call = {"metric_type": "cpu_usage", "value": 1}
            assert client.post("/api/metrics/", json=call).status_code == 401
            assert client.post("/api/metrics/", json=call, auth=("wrong", "")).status_code == 401
            assert client.post("/api/metrics/", json=call, auth=("wk-secret", "")).status_code == 200
            bearer = client.post("/api/metrics/", json=call, headers={"Authorization": "Bearer wk-secret"})
            assert bearer.status_code == 200
    finally:
        collector.stop()
    assert len(_landed_lines(landing)) == 2
