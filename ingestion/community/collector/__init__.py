"""`tidemark collect`: an HTTP collector that appends a community platform's calls to landing files.

Never writes to the warehouse: calls become the contract's NDJSON lines in the landing folder,
which the file ingestion (`ingestion.community.load`) reads like any other delivery.

- `rules.py`  — what is accepted: the file ingestion's envelope rules + typed event properties;
- `calls.py`  — Segment-style envelopes and seed 004's tracking calls → the envelope;
- `routes.py` — endpoints, one request body → NDJSON lines or a 4xx answer (batches all or nothing);
- `writer.py` — `.part` files, group-commit fsync before 2xx, rotation by rename, crash recovery;
- `server.py` — the threaded HTTP server (`Collector`), write key, access log without IPs or bodies.
"""

from ingestion.community.collector.routes import MAX_BATCH_BYTES, MAX_CALL_BYTES, ROUTES
from ingestion.community.collector.server import ENDPOINTS, Collector
from ingestion.community.collector.writer import LandingWriter, recover

__all__ = ["ENDPOINTS", "MAX_BATCH_BYTES", "MAX_CALL_BYTES", "ROUTES", "Collector", "LandingWriter", "recover"]
