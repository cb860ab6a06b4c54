"""What every erase shares: it runs only while no run holds the warehouse, and its audit row is keyed."""

from __future__ import annotations

import sys
from collections.abc import Callable

from core.settings import ConfigError
from core.warehouse.locks import PIPELINE, TRANSFORM, LockHeld, advisory_lock
from tidemark.summary import BUSY


def audit_key(settings) -> bytes | None:
    """The key of the audit row's hash; None (an unkeyed hash) when no key is configured."""
    try:
        return settings.ip_hash_secret()
    except ConfigError:
        return None


def while_idle(runtime, work: Callable[[], int]) -> int:
    """`work()` holding the pipeline and transform locks, so no run or dbt build starts halfway; refused
    (exit BUSY, nothing done) while a run holds them."""
    url = runtime.warehouse_url
    try:
        with advisory_lock(url, PIPELINE, wait=False), advisory_lock(url, TRANSFORM, wait=False):
            return work()
    except LockHeld as held:
        print(f"tidemark: a run holds the warehouse ({held}); nothing was erased, try again when it ends",
              file=sys.stderr)
        return BUSY
