"""`python -m simulator --seed 0 --now 2026-11-20T12:00:00Z --port 0`

Serves all simulated platforms until interrupted and prints the base URL (first
line, for scripts) followed by the per-API URLs as JSON. Faults come from
`--faults` or, failing that, the TIDEMARK_SIM_FAULTS environment variable.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading

from simulator.faults import FaultConfig
from simulator.server import SimulatorServer


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m simulator", description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--now", default=None, help="simulated clock, ISO 8601 (default: wall clock)")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0, help="0 = any free port")
    ap.add_argument("--history-days", type=int, default=365)
    ap.add_argument("--faults", default=None, help="fault config JSON (default: $TIDEMARK_SIM_FAULTS)")
    args = ap.parse_args(argv)
    try:
        faults = FaultConfig.parse(args.faults if args.faults is not None else os.environ.get("TIDEMARK_SIM_FAULTS"))
    except ValueError as exc:
        print(f"invalid fault config: {exc}", file=sys.stderr)
        return 2
    server = SimulatorServer(args.seed, args.now, faults, host=args.host, port=args.port,
                             history_days=args.history_days).start()
    print(server.base_url, flush=True)
    print(json.dumps(server.urls()), flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
