"""Run time of the `marts/mart_insights` asset on hand-made marts (those of
tests/integration/test_insights_recommend.py): the test's 2 accounts, and 12 accounts × a year of daily
posts. An embedded Postgres in a temporary directory; the asset through `dg.materialize`, as Dagster
runs it; reported: the asset's own `seconds` (read + compute + write) and the step's wall time, the
median of `--repeat` runs.

    PYTHONPATH=. .venv/bin/python benchmarks/bench_recommend_runtime.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.warehouse.embedded import EmbeddedPostgres  # noqa: E402
from tests.conftest import FIXTURES, SIM_NOW  # noqa: E402
from tests.integration.test_insights_recommend import (  # noqa: E402
    KITCHEN,
    TRAILS,
    make_marts,
    materialize,
    planted,
)

WORLDS = {
    "test world: 2 accounts, 26 weeks": ([KITCHEN, TRAILS], 182),
    "12 accounts × 365 days": ([("youtube", f"UC{i}", f"Channel {i}") for i in range(6)]
                               + [("instagram", f"IG{i}", f"Profile {i}") for i in range(6)], 365),
}


def run(url: str, repeat: int) -> tuple[float, float, int]:
    os.environ["DATABASE_URL"] = url
    seconds, walls, rows = [], [], 0
    for _ in range(repeat):
        started = time.monotonic()
        result = materialize()
        walls.append(time.monotonic() - started)
        assert result.success
        [event] = result.get_asset_materialization_events()
        metadata = event.materialization.metadata
        seconds.append(metadata["seconds"].value)
        rows = metadata["insights"].value
    return statistics.median(seconds), statistics.median(walls), rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.update({"TIDEMARK_HOME": f"{tmp}/home", "TIDEMARK_CONFIG": str(FIXTURES / "tidemark.yaml"),
                           "TIDEMARK_SIM_NOW": SIM_NOW})
        server = EmbeddedPostgres(Path(tmp) / "pg")
        admin_url = server.ensure_running().url("postgres")
        try:
            for n, (name, (accounts, days)) in enumerate(WORLDS.items()):
                admin = psycopg2.connect(admin_url)
                admin.autocommit = True
                admin.cursor().execute(f"create database bench_{n}")
                admin.close()
                url = admin_url.rsplit("/", 1)[0] + f"/bench_{n}"
                frames = planted(accounts, days=days)
                with psycopg2.connect(url) as conn, conn.cursor() as cur:
                    make_marts(cur, accounts, frames)
                asset, wall, rows = run(url, args.repeat)
                print(f"{name}: {len(frames['posts'])} posts → {rows} insights; asset {asset:.2f} s, "
                      f"step wall {wall:.2f} s (median of {args.repeat})")
        finally:
            server.stop()


if __name__ == "__main__":
    main()
