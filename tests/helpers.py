"""Small helpers shared by tests (not fixtures: plain functions)."""

from __future__ import annotations

import os
import uuid
from contextlib import contextmanager
from functools import cache

import dagster as dg
import psycopg2
import pytest

from orchestration.definitions import build_definitions, public_marts
from tidemark.runtime import WiredRuntime


def definitions() -> dg.Definitions:
    """The definitions as the code location loads them (built anew: env vars may differ per test)."""
    return build_definitions(WiredRuntime())


@cache
def marts() -> tuple[str, ...]:
    """Every public mart (the `marts` schema's models), in summary order."""
    return tuple(public_marts(definitions()))


@contextmanager
def module_database(pg_server_url: str, env: dict[str, str]):
    """A throwaway database on the session's Postgres and an environment pointing at it, for a
    module's shared world: the outer TIDEMARK_* variables are cleared, `env` and DATABASE_URL set.
    Yields the database URL; the database is dropped afterwards."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = psycopg2.connect(pg_server_url)
    admin.autocommit = True
    admin.cursor().execute(f'create database "{name}"')
    url = pg_server_url.rsplit("/", 1)[0] + f"/{name}"
    try:
        with pytest.MonkeyPatch.context() as mp:
            for key in [k for k in os.environ if k.startswith("TIDEMARK_")]:
                mp.delenv(key)
            for key, value in {"DATABASE_URL": url, **env}.items():
                mp.setenv(key, value)
            yield url
    finally:
        admin.cursor().execute(f'drop database if exists "{name}" with (force)')
        admin.close()


def sim_world(runtime):
    """A twin of the world the runtime's simulator serves (same seed, origin, history, time zones), its
    clock at the run's 'now': what the platforms answered, to compare the warehouse with."""
    from simulator.platforms import PROFILES
    from simulator.world import World
    from tidemark.runtime import SIM_EPOCH, simulated_time_zones

    world = World(runtime.settings.sim_seed, SIM_EPOCH, profiles=PROFILES, history_days=runtime.settings.sim_history_days,
                  time_zones=simulated_time_zones(runtime.workspace))
    world.set_now(runtime.settings.now())
    return world


def materialize_assets(assets) -> dg.ExecuteInProcessResult:
    """`assets` through real Dagster with the wired runtime (the environment's database), on a throwaway
    instance; a failing step is in the result (`.success`), not raised."""
    return dg.materialize(assets, resources={"tidemark": WiredRuntime()}, instance=dg.DagsterInstance.ephemeral(),
                          raise_on_error=False)


def db_rows(url: str, sql: str, params=()) -> list[tuple]:
    """The rows of one query on the database at `url` (a module world's); no params: a '%' is literal."""
    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        cur.execute(sql, params or None)
        return cur.fetchall()
