"""Advisory locks that keep writers of the warehouse from running over each other.

    PIPELINE   one `tidemark run` at a time (a second one is refused: it would repeat the work)
    TRANSFORM  one dbt build at a time, whoever started it (the CLI, a schedule, the sensor, the UI):
               two builds at once fight over dbt's tables ("relation ... already exists")

Session-level locks on their own connection: a killed process releases them with its connection.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from core.warehouse.connection import connect

PIPELINE = "tidemark.pipeline"
TRANSFORM = "tidemark.transform"


class LockHeld(RuntimeError):
    """Another process holds the lock; the message says since when."""


HOLDERS = """
    select locks.name, activity.pid, activity.backend_start, activity.application_name
    from unnest(%s::text[]) as locks (name)
    inner join pg_locks on pg_locks.locktype = 'advisory' and pg_locks.granted
        and pg_locks.objid = hashtext(locks.name)::oid
    inner join pg_stat_activity as activity on activity.pid = pg_locks.pid
"""


def holders(conn, names: tuple[str, ...] = (PIPELINE, TRANSFORM)) -> list[tuple]:
    """(lock name, pid, backend start, application) of every process holding one of the locks."""
    with conn.cursor() as cur:
        cur.execute(HOLDERS, (list(names),))
        return cur.fetchall()


@contextmanager
def advisory_lock(url: str, name: str, *, wait: bool,
                  on_wait: Callable[[str], None] = lambda message: None) -> Iterator[None]:
    """Hold `name` for the block. `wait=False` raises LockHeld when it is taken; `wait=True` waits
    (saying so through `on_wait`)."""
    with connect(url, autocommit=True) as conn, conn.cursor() as cur:
        cur.execute("select pg_try_advisory_lock(hashtext(%s))", (name,))
        if not cur.fetchone()[0]:
            held = holders(conn, (name,))
            since = f" (since {held[0][2]:%Y-%m-%d %H:%M:%S %Z}, pid {held[0][1]})" if held else ""
            if not wait:
                raise LockHeld(f"{name} is held by another process{since}")
            on_wait(f"waiting for {name}, held by another process{since}")
            cur.execute("select pg_advisory_lock(hashtext(%s))", (name,))
        try:
            yield
        finally:
            cur.execute("select pg_advisory_unlock(hashtext(%s))", (name,))
