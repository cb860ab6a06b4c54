"""The community domain's first-party event files: NDJSON (optionally .gz) landed by a collector.

Not a social platform: this package declares no `PLATFORM`, so `ingestion.registry` skips it.
The event format is the contract in docs (Segment-style envelope: message_id, type, event,
user_id/anonymous_id, timestamp, sent_at, received_at, context, properties, traits).

- `source.py`  — `LandingSource` (list files, open one as a binary stream) and `LocalFolder`;
- `privacy.py` — IP addresses hashed (HMAC-SHA256) or truncated, user agents reduced to
  {device_class, browser_family}, before anything is stored;
- `events.py`  — one line → a `raw.community_events` COPY row, or the reason it is rejected;
- `load.py`    — `ingest_landing` (manifest `ops.community_files`, resumable batches, dedupe on
  message_id, quarantine of malformed lines) and `load_reference` (`raw.community_reference`).
"""

from ingestion.community.events import TRACK_EVENTS
from ingestion.community.load import (
    FileOutcome,
    FileProgress,
    IngestResult,
    ingest_landing,
    load_reference,
)
from ingestion.community.privacy import Privacy
from ingestion.community.source import LandingFile, LandingSource, LocalFolder

__all__ = [
    "FileOutcome", "FileProgress", "IngestResult", "LandingFile", "LandingSource", "LocalFolder", "Privacy",
    "TRACK_EVENTS", "ingest_landing", "load_reference",
]
