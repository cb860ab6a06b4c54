"""Checks of the community domain's event table (`raw.community_events`).

- `events.py` — the GX suite: ids, types, timestamps (far past, ahead beyond the clock-skew
  tolerance), an actor on every event (error rules: the event is held), known event names (warning);
- `runner.py` — validates the rows loaded since the last validation, holds the offending events in
  `ops.quarantine` by message_id (staging leaves them out until released), records the outcome.

The load itself refuses lines that are not events (not JSON, no message_id, unknown type,
unparseable time): those never reach raw and are quarantined with their file and line.
"""
