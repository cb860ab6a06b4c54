"""Where landed files come from: a protocol (list, open as bytes) and the local-folder reader."""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

EVENTS_PREFIX = "events"
REFERENCE_PATH = "reference/communities.json"
EVENT_SUFFIXES = (".ndjson", ".ndjson.gz", ".jsonl", ".jsonl.gz")


@dataclass(frozen=True)
class LandingFile:
    path: str  # relative to the landing root, '/'-separated: events/2026-11-20/120000-0001.ndjson.gz
    size: int


class LandingSource(Protocol):
    """A landing area: a local folder today, object storage later."""

    def list_files(self, prefix: str = EVENTS_PREFIX) -> list[LandingFile]:
        """Event files under `prefix`, sorted by path."""
        ...

    def open(self, path: str) -> BinaryIO:
        """The file's stored bytes (still compressed for .gz)."""
        ...


class LocalFolder:
    def __init__(self, root: str | Path):
        self.root = Path(root)

    def __repr__(self) -> str:
        return f"LocalFolder({str(self.root)!r})"

    def list_files(self, prefix: str = EVENTS_PREFIX) -> list[LandingFile]:
        base = self.root / prefix
        if not base.is_dir():
            return []
        files = [
            LandingFile(item.relative_to(self.root).as_posix(), item.stat().st_size)
            for item in base.rglob("*")
            if item.is_file() and item.name.endswith(EVENT_SUFFIXES)
        ]
        return sorted(files, key=lambda f: f.path)

    def open(self, path: str) -> BinaryIO:
        target = (self.root / path).resolve()
        if not target.is_relative_to(self.root.resolve()):
            raise ValueError(f"{path!r} is outside the landing folder {self.root}")
        return target.open("rb")


def decoded(stream: BinaryIO, path: str) -> BinaryIO:
    """The file's content: gunzipped when the name ends in .gz."""
    return gzip.GzipFile(fileobj=stream, mode="rb") if path.endswith(".gz") else stream
