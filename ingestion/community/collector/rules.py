"""What the collector accepts: the file ingestion's rules, plus Segment's rules for live calls.

The envelope (message_id, type, timestamps and their range) and the known events' properties are
checked by the file ingestion's own rules (`events.parse_line`, `properties.check`), so nothing the
collector answers 2xx for is quarantined later. On top, as Segment does for calls: a track has an
event name, and a member's event names its actor.
"""

from __future__ import annotations

from datetime import UTC, datetime

import orjson

from ingestion.community.events import Malformed, parse_line
from ingestion.community.privacy import Privacy
from ingestion.community.properties import Invalid, check, identifier, shown

# Sent by the platform's servers, not on behalf of a member: no user_id / anonymous_id needed.
SERVER_EVENTS = frozenset({"api_request", "system_metric", "error_log", "error_resolved"})
# parse_line also reduces IPs; the collector only wants its verdict, so the cheapest mode will do.
_ENVELOPE_CHECK = Privacy("truncate")
_ENVELOPE_FIELDS = frozenset({"message_id", "type", "timestamp", "sent_at", "received_at"})

__all__ = ["Invalid", "validate"]


def validate(envelope: dict, now: datetime | None = None) -> bytes:
    """The envelope as one NDJSON line (properties normalized in place), or Invalid."""
    kind, event = envelope.get("type"), envelope.get("event")
    if kind == "track" and (not isinstance(event, str) or not event):
        raise Invalid("event", "a track call needs the event's name")
    if envelope.get("context") is not None and not isinstance(envelope["context"], dict):
        raise Invalid("context", f"expected a JSON object, got {shown(envelope['context'])}")
    check(envelope)
    for key in ("user_id", "anonymous_id"):
        if envelope.get(key) is not None:
            try:
                envelope[key] = identifier(envelope[key])
            except ValueError as error:
                raise Invalid(key, str(error)) from None
    if kind in ("track", "page", "identify") and event not in SERVER_EVENTS \
            and not (envelope.get("user_id") or envelope.get("anonymous_id")):
        raise Invalid("user_id", "missing (a member's event needs user_id or anonymous_id)")
    line = orjson.dumps(envelope) + b"\n"
    try:  # the file ingestion's rules, exactly
        parse_line(line, _ENVELOPE_CHECK, now or datetime.now(UTC))
    except Malformed as error:
        named = next((word for word in error.reason.split()[:2] if word in _ENVELOPE_FIELDS), "")
        raise Invalid(named, error.reason) from None
    return line
