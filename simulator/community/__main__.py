"""`python -m simulator.community --out DIR --start 2026-11-16 --end 2026-11-23 --seed 0 [--faults JSON]`

Writes the landing zone (see `simulator.community.landing`) and prints a JSON
summary: files, lines, the faults applied. `--truth FILE` also writes the truth as
JSON (kept out of the landing zone, which holds only what a collector delivers).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from simulator.community.landing import write_files


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m simulator.community", description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True, type=Path, help="landing directory")
    ap.add_argument("--start", required=True, help="ISO 8601 (naive = UTC)")
    ap.add_argument("--end", required=True, help="ISO 8601, exclusive")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--communities", type=int, default=4)
    ap.add_argument("--members", type=int, default=200)
    ap.add_argument("--faults", default=None, help='JSON, e.g. {"duplicates": 20, "burst": true}')
    ap.add_argument("--gzip", action="store_true", help="write .ndjson.gz")
    ap.add_argument("--truth", type=Path, default=None, help="also write the truth as JSON here")
    args = ap.parse_args(argv)
    try:
        manifest = write_files(args.out, args.start, args.end, args.seed, args.communities, args.members,
                               args.faults, compress=args.gzip)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.truth is not None:
        args.truth.parent.mkdir(parents=True, exist_ok=True)
        args.truth.write_text(json.dumps(manifest.truth.to_dict(), indent=1) + "\n", encoding="utf-8")
    print(json.dumps({"landing": str(manifest.landing), "files": len(manifest.files), "lines": manifest.lines,
                      "faults": manifest.faults.to_dict()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
