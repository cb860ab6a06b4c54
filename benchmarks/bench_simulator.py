"""Simulator benchmark (a script, not a test): how fast the simulators generate.

    .venv/bin/python benchmarks/bench_simulator.py

Prints the best of 3 for a 1-year YouTube account (target < 50 ms), the mean over 10 of 1,000
lazily created 2-year accounts (target < 120 ms each, with the account cache bounded at 32), and
the community simulator's 200 members × 7 days (target < 10 s) and a 14-day landing zone extended
by one day (the demo's daily step).
"""

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from simulator.community import extend_files, write_files  # noqa: E402
from simulator.platforms import PROFILES  # noqa: E402
from simulator.world import World  # noqa: E402

NOW = "2026-11-20T12:00:00Z"


def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main() -> None:
    world = World(5, NOW, profiles=PROFILES)
    best = min(timed(lambda i=i: world.account("youtube", f"UCfast{i}").lifetimes()) for i in range(3))
    print(f"1-year YouTube account: {best * 1000:.1f} ms (best of 3; target < 50 ms)")

    world = World(9, NOW, profiles=PROFILES, history_days=730, cache_size=32)
    accounts = [world.account("youtube", f"UCbulk{i:04d}") for i in range(1000)]
    mean = sum(timed(a.lifetimes) for a in accounts[::100]) / 10
    print(f"2-year account among 1,000: {mean * 1000:.1f} ms each (mean of 10; target < 120 ms); "
          f"cached accounts: {len(world._accounts)}")

    with tempfile.TemporaryDirectory() as tmp:
        seconds = timed(lambda: write_files(Path(tmp) / "w", "2026-11-16", "2026-11-23", seed=1, members=200))
        print(f"community, 200 members × 7 days: {seconds:.1f} s (target < 10 s)")
        landing = Path(tmp) / "demo"
        first = timed(lambda: extend_files(landing, "2026-11-02", "2026-11-16", seed=1))
        step = timed(lambda: extend_files(landing, "2026-11-02", "2026-11-17", seed=1))
        print(f"community demo: 14 days {first:.1f} s, then one more day {step:.1f} s "
              f"(the whole history is generated again each day)")


if __name__ == "__main__":
    main()
