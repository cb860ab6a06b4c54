"""The connectors Tidemark knows, by platform name. Adding a platform = one entry here."""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType

from ingestion import youtube


@dataclass(frozen=True)
class Connector:
    platform: str
    module: ModuleType

    @property
    def streams(self) -> tuple[str, ...]:
        return self.module.STREAMS


CONNECTORS: dict[str, Connector] = {
    connector.platform: connector for connector in (Connector("youtube", youtube),)
}


def connector(platform: str) -> Connector:
    try:
        return CONNECTORS[platform]
    except KeyError:
        raise ValueError(f"unknown platform {platform!r}; expected one of {', '.join(CONNECTORS)}") from None


def all_raw_tables() -> list[str]:
    return [table for item in CONNECTORS.values() for table in item.streams]
