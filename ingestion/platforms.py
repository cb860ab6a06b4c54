"""The connectors Tidemark knows: every package `ingestion/<platform>/` of a known platform.

A connector package exposes PLATFORM, STREAMS (its raw tables), DEFAULTS (PlatformDefaults),
`open_client(runtime, account, credentials, logger, sleep=None)` and `sync_account(ctx, client)`.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
from dataclasses import dataclass
from types import ModuleType

from tidemark.workspace import PLATFORMS


@dataclass(frozen=True)
class Connector:
    platform: str
    module: ModuleType

    @property
    def streams(self) -> tuple[str, ...]:
        return self.module.STREAMS


REQUIRED = ("PLATFORM", "STREAMS", "DEFAULTS", "open_client", "sync_account")
log = logging.getLogger(__name__)


def _discover() -> dict[str, Connector]:
    found = {}
    for platform in PLATFORMS:
        if importlib.util.find_spec(f"ingestion.{platform}") is None:
            continue
        try:
            module = importlib.import_module(f"ingestion.{platform}")
        except ImportError as error:
            log.warning("ingestion.%s cannot be imported (%s); platform skipped", platform, error)
            continue
        missing = [name for name in REQUIRED if not hasattr(module, name)]
        if missing:  # a connector being written: not wired until it is complete
            log.warning("ingestion.%s is incomplete (missing %s); platform skipped", platform, ", ".join(missing))
            continue
        found[platform] = Connector(platform, module)
    return found


CONNECTORS: dict[str, Connector] = _discover()


def connector(platform: str) -> Connector:
    try:
        return CONNECTORS[platform]
    except KeyError:
        raise ValueError(f"unknown platform {platform!r}; expected one of {', '.join(CONNECTORS)}") from None


def all_raw_tables() -> list[str]:
    return [table for item in CONNECTORS.values() for table in item.streams]
