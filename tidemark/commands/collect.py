"""`tidemark collect`: serve the community collector until interrupted (docs/community.md "Collector").

Loopback by default. Another --host needs a write key (TIDEMARK_COLLECTOR_WRITE_KEY, read here at
start-up, never printed): an open collector on a public address would land anyone's events.
SIGTERM or Ctrl-C stops it cleanly: the file being filled is finished, so its events are read by
the next ingestion; a SIGKILL leaves a `.part` that the next start finishes.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import signal
import sys
import threading
from pathlib import Path

from core.settings import ConfigError
from ingestion.community.collector import ENDPOINTS, Collector
from tidemark.runtime import load_runtime

WRITE_KEY_VAR = "TIDEMARK_COLLECTOR_WRITE_KEY"
DEFAULT_PORT = 8787


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def cmd_collect(args) -> int:
    landing = Path(args.landing) if args.landing else load_runtime().community_landing
    write_key = os.environ.get(WRITE_KEY_VAR) or None
    if not _loopback(args.host) and not write_key:
        raise ConfigError(f"--host {args.host} is reachable from other machines: set {WRITE_KEY_VAR} "
                          "(callers send it as the HTTP Basic user name, as with Segment's API)")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s",
                        stream=sys.stderr)
    collector = Collector(landing, args.host, args.port, write_key=write_key,
                          max_bytes=args.rotate_mb << 20, max_age_s=args.rotate_seconds).start()
    for path in collector.recovered:
        print(f"recovered {path} (left by a collector that stopped without finishing it)")
    print(f"Tidemark collector on {collector.url} → {landing / 'events'}"
          f"{' (write key required)' if write_key else ''}; Ctrl-C stops it")
    print("  " + "\n  ".join(ENDPOINTS), flush=True)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    stop.wait()
    collector.stop()
    print(f"stopped: {collector.accepted} event(s) accepted, {len(collector.writer.finished)} file(s) landed")
    return 0


def add_parser(sub) -> None:
    parser = sub.add_parser("collect", help="HTTP collector: community events → landing files")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: loopback)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"default {DEFAULT_PORT}; 0 = any free port")
    parser.add_argument("--landing", help="landing folder (default: tidemark.yaml community.landing, else "
                                          "<TIDEMARK_HOME>/landing/community)")
    parser.add_argument("--rotate-seconds", type=float, default=60.0,
                        help="finish the file being filled after this many seconds (default 60)")
    parser.add_argument("--rotate-mb", type=int, default=64, help="... or at this size (default 64 MB)")
    parser.set_defaults(func=cmd_collect)
