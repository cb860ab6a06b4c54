"""The platform registry: every package `ingestion/<platform>/` that declares a platform.

A platform package's `__init__` declares `PLATFORM` (a `core.platform.PlatformSpec`: name,
credentials, launch date, freshness, raw streams, defaults, formats) and the two connector entry
points `open_client(runtime, account, credentials, logger, sleep=None)` and
`sync_account(ctx, client)`; `connect.py`, when present, declares its OAuth app (`APP`) for
`tidemark connect`; `competitors.py`, present exactly when the spec names a public competitor API,
declares `fetch_competitor(client, handle, now)` (docs/insights-benchmarks.md). Packages are discovered, so adding a platform adds a folder and
edits no shared list; workspace validation, assets, checks, dbt's platform list and reports all
read this registry.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import ingestion
from core.platform import PlatformSpec

ENTRY_POINTS = ("open_client", "sync_account")
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Connector:
    spec: PlatformSpec
    open_client: Callable
    sync_account: Callable
    oauth: object | None = None  # ingestion.connect.OAuthApp from `<platform>/connect.py`: `tidemark connect`
    fetch_competitor: Callable | None = None  # from `<platform>/competitors.py`: public competitor data

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def streams(self) -> tuple[str, ...]:
        return self.spec.streams


def _connector(package: str) -> Connector | None:
    # An import error is raised, not skipped: a platform that silently disappears is worse.
    module = importlib.import_module(f"{ingestion.__name__}.{package}")
    spec = getattr(module, "PLATFORM", None)
    if not isinstance(spec, PlatformSpec):
        return None  # a shared package (http), not a platform
    missing = [name for name in ENTRY_POINTS if not hasattr(module, name)]
    if missing:  # a connector being written: not wired until it is complete
        log.warning("ingestion.%s is incomplete (missing %s); platform skipped", package, ", ".join(missing))
        return None
    if spec.name != package:
        raise ValueError(f"ingestion.{package} declares platform {spec.name!r}; the package must be named after it")
    oauth = None
    if importlib.util.find_spec(f"{ingestion.__name__}.{package}.connect") is not None:
        oauth = importlib.import_module(f"{ingestion.__name__}.{package}.connect").APP
    competitors = None
    if importlib.util.find_spec(f"{ingestion.__name__}.{package}.competitors") is not None:
        competitors = importlib.import_module(f"{ingestion.__name__}.{package}.competitors").fetch_competitor
    if (competitors is None) != (spec.competitors is None):
        raise ValueError(f"ingestion.{package}: PLATFORM.competitors and competitors.py must come together")
    return Connector(spec, module.open_client, module.sync_account, oauth, competitors)


@cache
def connectors() -> dict[str, Connector]:
    """Every complete platform package, by name (sorted, so runs and graphs are stable)."""
    found = (_connector(item.name) for item in sorted(pkgutil.iter_modules(ingestion.__path__), key=lambda m: m.name)
             if item.ispkg)
    return {item.name: item for item in found if item is not None}


def platforms() -> dict[str, PlatformSpec]:
    return {name: item.spec for name, item in connectors().items()}


def connector(platform: str) -> Connector:
    try:
        return connectors()[platform]
    except KeyError:
        raise ValueError(f"unknown platform {platform!r}; expected one of {', '.join(connectors())}") from None


def all_raw_tables() -> list[str]:
    return [table for item in connectors().values() for table in item.streams]
