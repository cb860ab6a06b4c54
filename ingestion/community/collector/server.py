"""The HTTP side: a threaded standard-library server, one handler, the rotation ticker.

A 2xx answer means the events are on disk (fsynced) in the landing folder; a 4xx/5xx answer means
nothing of the request was stored. The access log names path, status, event count and latency
only: never the client's address or the body (both may carry personal data), never the key.
"""

from __future__ import annotations

import base64
import hmac
import logging
import threading
import time
import zlib
from collections.abc import Callable
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import orjson

from ingestion.community.collector.routes import ROUTES, Rejected, handle, route
from ingestion.community.collector.writer import MAX_AGE_S, MAX_BYTES, LandingWriter, recover

log = logging.getLogger("tidemark.collector")

ENDPOINTS = sorted(f"POST {path}" for path in ROUTES) + ["GET /health"]


class Collector:
    """`Collector(landing).start()` serves until `stop()`; `url` is where to point a platform."""

    def __init__(self, landing: str | Path, host: str = "127.0.0.1", port: int = 0, *,
                 write_key: str | None = None, max_bytes: int = MAX_BYTES, max_age_s: float = MAX_AGE_S,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)):
        self.landing = Path(landing)
        self.clock = clock
        self.write_key = write_key
        self.writer = LandingWriter(self.landing, max_bytes, max_age_s, clock)
        self.recovered: list[Path] = []
        self.accepted = 0  # events answered 2xx since start
        self._count_lock = threading.Lock()
        self._httpd = ThreadingHTTPServer((host, port), _Handler, bind_and_activate=False)
        self._httpd.daemon_threads = True
        self._httpd.collector = self
        self._stopped = threading.Event()
        self._threads: list[threading.Thread] = []
        self._host = host

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> Collector:
        self.recovered = recover(self.landing)  # what a collector that died left behind lands first
        self._httpd.server_bind()
        self._httpd.server_activate()
        for target, name in ((self._httpd.serve_forever, "collector-http"), (self._tick, "collector-rotate")):
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def _tick(self) -> None:
        while not self._stopped.wait(min(1.0, max(0.05, self.writer.max_age_s / 4))):
            if self.writer.due():
                try:
                    self.writer.rotate()
                except OSError as error:  # retried on the next tick; appends keep going to the open file
                    log.error("could not finish the landing file: %s", error)

    def stop(self) -> None:
        """Stop answering, then finish the current file (its events become visible to the ingestion)."""
        self._stopped.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        for thread in self._threads:
            thread.join()
        self.writer.close()

    def count(self, events: int) -> None:
        with self._count_lock:
            self.accepted += events

    def authorized(self, header: str | None) -> bool:
        """No key configured: open (loopback by default). Else Segment's HTTP Basic (key as user
        name, empty password) or `Bearer <key>`."""
        if not self.write_key:
            return True
        if not header:
            return False
        scheme, _, value = header.partition(" ")
        if scheme.lower() == "basic":
            try:
                value = base64.b64decode(value.strip(), validate=True).decode().partition(":")[0]
            except (ValueError, UnicodeDecodeError):
                return False
        elif scheme.lower() != "bearer":
            return False
        return hmac.compare_digest(value.strip().encode(), self.write_key.encode())


def _body(handler: BaseHTTPRequestHandler, limit: int) -> bytes:
    if "chunked" in handler.headers.get("Transfer-Encoding", "").lower():
        raise Rejected(411, "send the body with a Content-Length (chunked transfer is not accepted)")
    try:
        length = int(handler.headers.get("Content-Length", ""))
    except ValueError:
        raise Rejected(411, "Content-Length header missing or not a number") from None
    if not 0 <= length <= limit:
        raise Rejected(413 if length > 0 else 400, f"Content-Length is {length}; at most {limit} on this endpoint")
    encoding = handler.headers.get("Content-Encoding", "identity").lower()
    body = handler.rfile.read(length)
    handler.body_read = True
    if encoding == "identity":
        return body
    if encoding != "gzip":
        raise Rejected(415, f"Content-Encoding {encoding!r} is not accepted (identity or gzip)")
    inflate = zlib.decompressobj(wbits=31)
    try:
        body = inflate.decompress(body, limit + 1)
    except zlib.error:
        raise Rejected(400, "the body is not valid gzip") from None
    if len(body) > limit:
        raise Rejected(413, f"the uncompressed body is more than {limit} bytes; at most {limit} on this endpoint")
    return body


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: a platform's client reuses its connection
    server_version = "TidemarkCollector/1"
    timeout = 30  # a client that stops sending mid-request does not hold a thread forever
    # Headers and body leave in one segment, at once: with Nagle and the client's delayed ACK, a
    # small answer written in two pieces waits ~40 ms for nothing.
    disable_nagle_algorithm = True
    wbufsize = 64 * 1024  # flushed after each request by the base class

    def do_POST(self) -> None:
        started = time.perf_counter()
        collector: Collector = self.server.collector
        target = route(self.path)
        self.body_read = False
        status, count = 200, 0
        try:
            if target is None:
                raise Rejected(404, f"no such endpoint; POST to one of: {', '.join(sorted(ROUTES))}")
            if not collector.authorized(self.headers.get("Authorization")):
                raise Rejected(401, "missing or wrong write key (HTTP Basic user name, or Bearer)")
            received_at = collector.clock().isoformat(timespec="microseconds")
            accepted = handle(target, _body(self, target.max_bytes), received_at)
            try:
                collector.writer.append(accepted.data, len(accepted.message_ids))
            except OSError as error:
                status = 503
                log.error("could not store %d event(s): %s", len(accepted.message_ids), error)
                self._send(503, {"success": False, "error": f"could not store the events ({error.strerror}); "
                                 "nothing of this request was stored, retry later"})
                return
            count = len(accepted.message_ids)
            collector.count(count)
            self._send(200, {"success": True, "count": count, "message_ids": accepted.message_ids})
        except Rejected as rejected:
            status = rejected.status
            self._send(rejected.status, rejected.body())
        finally:
            where = next((path for path, known in ROUTES.items() if known is target), "<unknown path>")
            log.info("POST %s %d events=%d %.1fms", where, status, count, (time.perf_counter() - started) * 1000)

    def do_GET(self) -> None:
        if self.path.split("?", 1)[0].rstrip("/") == "/health":
            self._send(200, {"status": "ok", "endpoints": ENDPOINTS})
        elif route(self.path) is not None:
            self._send(405, {"success": False, "error": "use POST"}, allow="POST")
        else:
            self._send(404, {"success": False, "error": "no such endpoint", "endpoints": ENDPOINTS})

    def _send(self, status: int, body: dict, allow: str | None = None) -> None:
        data = orjson.dumps(body)
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        if allow:
            self.send_header("Allow", allow)
        if not getattr(self, "body_read", True):  # its unread body would be taken for the next request
            self.close_connection = True
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args) -> None:
        """The base class logs the client's address first; ours (in do_POST) leaves it out."""
