"""The local HTTP server that impersonates the platform APIs.

One `ThreadingHTTPServer` on 127.0.0.1 (port 0 = a free port) serves every
registered platform under its own path prefix, so connectors only swap base
URLs (`SimulatorServer.urls()`). Per request: count it, let the fault state
decide whether it fails (rendered in the platform's own error format), run the
handler, pass the body through `mutate_body` (data faults), send JSON.

Admin endpoints (not part of any platform):
  POST /_sim/faults  body = fault config JSON (replaces it, resets fault counters)
  GET  /_sim/faults  current fault config
  GET  /_sim/stats   call counts per platform and endpoint, injected faults
  POST /_sim/clock   {"now": "2026-11-21T08:00:00Z"} or {"advance_seconds": 3600}
  GET  /_sim/clock   {"now": ..., "origin": ..., "seed": ...}
  POST /_sim/revoke  {"platform": "x", "account_id": "..."}: the user removed the app; every token
                     issued for that account dies -> {"revoked": <number of tokens>}

Tokens from the OAuth code flow (`state.grants`) are checked here, before the handler, for every
non-token route: an expired or revoked one answers the platform's own expired/invalid-token error.
"""

from __future__ import annotations

import json
import sys
import threading
import traceback
from collections.abc import Mapping
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from simulator.clock import as_utc
from simulator.faults import Fault, FaultConfig
from simulator.platforms import PLATFORMS, PROFILES
from simulator.routing import Request, Response, Router
from simulator.state import SimulatorState
from simulator.world import World


def _admin(state: SimulatorState, method: str, path: str, body: bytes) -> Response:
    try:
        payload = json.loads(body) if body.strip() else {}
    except ValueError as exc:
        return Response(400, {"error": f"invalid JSON: {exc}"})
    if path == "/_sim/stats" and method == "GET":
        return Response(200, state.stats.snapshot())
    if path == "/_sim/faults" and method == "GET":
        return Response(200, state.faults.config.to_dict())
    if path == "/_sim/faults" and method == "POST":
        try:
            state.set_faults(FaultConfig.parse(payload or {}))
        except ValueError as exc:
            return Response(400, {"error": str(exc)})
        return Response(200, state.faults.config.to_dict())
    if path == "/_sim/clock" and method == "POST":
        try:
            if "now" in payload:
                state.world.set_now(payload["now"])
            elif "advance_seconds" in payload:
                state.world.advance(timedelta(seconds=float(payload["advance_seconds"])))
            else:
                return Response(400, {"error": "give 'now' (ISO 8601) or 'advance_seconds'"})
        except (TypeError, ValueError) as exc:
            return Response(400, {"error": str(exc)})
    if path == "/_sim/revoke" and method == "POST":
        body = payload if isinstance(payload, dict) else {}
        platform, account_id = body.get("platform"), body.get("account_id")
        if not isinstance(platform, str) or not isinstance(account_id, str) or not platform or not account_id:
            return Response(400, {"error": "give 'platform' and 'account_id' (strings)"})
        return Response(200, {"revoked": state.revoke(platform, account_id)})
    if path == "/_sim/clock":
        w = state.world
        return Response(200, {"now": w.now.isoformat().replace("+00:00", "Z"),
                              "origin": w.origin.isoformat().replace("+00:00", "Z"), "seed": w.seed})
    return Response(404, {"error": f"unknown admin endpoint {method} {path}"})


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # header and body are separate writes: avoid 40 ms delayed-ACK stalls

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass  # keep test output clean; the stats endpoint is the access log

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_PUT(self) -> None:
        self._dispatch("PUT")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def _dispatch(self, method: str) -> None:
        state, router = self.server.state, self.server.router
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if parts.path.startswith("/_sim/"):
            state.stats.count("_sim", parts.path)
            return self._send(_admin(state, method, parts.path, body))
        found = router.match(method, parts.path)
        if found is None:
            state.stats.count(None, None)
            return self._send(Response(404, {"error": {"code": 404, "message": f"Not Found: {parts.path}"}}))
        platform, route, params = found
        state.stats.count(platform.name, route.endpoint)
        req = Request(
            method=method, path=parts.path,
            query={k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()},
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body, state=state, params=params, platform=platform.name, endpoint=route.endpoint,
        )
        faults = state.faults
        fault = None if route.auth else faults.before_request(platform.name, route.endpoint, req.bearer)
        if fault is not None:
            state.stats.fault(platform.name, fault.kind)
            return self._send(platform.render_fault(fault, route.endpoint))
        if not route.auth:
            grant_state, _ = state.grants.status(platform.name, req.bearer)
            if grant_state in ("expired", "revoked"):
                kind = "expired_token" if grant_state == "expired" else "invalid_token"
                return self._send(platform.render_fault(Fault(kind), route.endpoint))
        try:
            resp = route.handler(req)
            resp.body = faults.mutate_body(platform.name, route.endpoint, resp.body)
        except Exception:  # a bug in a handler must look like a platform 500, not a hung socket
            traceback.print_exc(file=sys.stderr)
            resp = platform.render_fault(Fault("server_error"), route.endpoint)
        self._send(resp)

    def _send(self, resp: Response) -> None:
        data = b"" if resp.body is None else json.dumps(resp.body, separators=(",", ":")).encode()
        self.send_response(resp.status)
        headers = {"Content-Type": "application/json; charset=UTF-8", **resp.headers}
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, addr: tuple[str, int], state: SimulatorState, router: Router) -> None:
        self.state, self.router = state, router
        super().__init__(addr, _Handler)


class SimulatorServer:
    """All simulated platforms on one local port; usable as a context manager."""

    def __init__(self, seed: int = 0, now: datetime | str | None = None, faults: FaultConfig | None = None,
                 *, host: str = "127.0.0.1", port: int = 0, history_days: int = 365,
                 time_zones: Mapping[tuple[str, str], str] | None = None) -> None:
        self.world = World(seed, as_utc(now) if now is not None else None, profiles=PROFILES,
                           history_days=history_days, time_zones=time_zones)
        self.state = SimulatorState(self.world, faults)
        self.router = Router(PLATFORMS)
        self._addr = (host, port)
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> SimulatorServer:
        if self._httpd is None:
            self._httpd = _Server(self._addr, self.state, self.router)
            self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                            name="tidemark-simulator",
                                            daemon=True)
            self._thread.start()
        return self

    def wait(self) -> None:
        """Block until the server stops (a foreground `tidemark sim`)."""
        if self._thread is not None:
            self._thread.join()

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
            if self._thread is not None:
                self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> SimulatorServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("simulator not started")
        return self._httpd.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://{self._addr[0]}:{self.port}"

    def urls(self) -> dict[str, str]:
        """Base URLs per API for the connectors, e.g. {"youtube_data": ".../youtube/v3", ...}."""
        return self.router.urls(self.base_url)

    # conveniences for tests and the demo (same effect as the admin endpoints)
    def set_faults(self, faults: FaultConfig | str | dict) -> None:
        self.state.set_faults(faults if isinstance(faults, FaultConfig) else FaultConfig.parse(faults))

    def set_now(self, now: datetime | str) -> None:
        self.world.set_now(now)

    def stats(self) -> dict[str, Any]:
        return self.state.stats.snapshot()
