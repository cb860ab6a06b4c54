"""One NDJSON line → a `raw.community_events` COPY row, or the reason it is refused.

A line is refused when it is not JSON, not an object, lacks message_id/type/timestamp, has an
unknown type, an unparseable timestamp (sent_at/received_at too, when present), or a timestamp
more than 5 years before, or more than 1 day after, received_at (the load's 'now' without one), or a known event whose
properties break the contract (ingestion/community/properties.py: a `value` that is not a number,
an `access_result` other than allowed/blocked...). Unknown event names load (a check warns).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import orjson

from ingestion.community.privacy import Privacy
from ingestion.community.properties import Invalid
from ingestion.community.properties import check as properties_check

TYPES = frozenset({"track", "page", "identify"})
# The track events of the contract (docs/community.md); dbt's staging flags others (var
# `community_events`, passed from here) and a check warns about them.
TRACK_EVENTS = ("community_activity", "geo_access_attempt", "api_request", "system_metric", "error_log",
                "error_resolved", "follow", "unfollow", "recommendation_shown", "recommendation_clicked")
MAX_AGE = timedelta(days=5 * 365 + 1)
MAX_AHEAD = timedelta(days=1)
COLUMNS = ("message_id", "type", "event", "user_id", "anonymous_id", "event_at", "sent_at", "received_at",
           "context", "properties", "traits", "source_file", "source_line", "run_id")


NOT_JSON = object()  # Malformed.payload of a line that did not parse


class Malformed(ValueError):
    """The line breaks the contract; the message names the problem."""

    def __init__(self, reason: str, payload: Any = NOT_JSON, community_id: str | None = None):
        super().__init__(reason)
        self.reason = reason
        self.payload = payload
        self.community_id = community_id


def _text(value: str | None) -> str:
    """Escape a value for COPY's text format."""
    if value is None:
        return r"\N"
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return value


def _json(value: Any) -> str:
    """jsonb as COPY text (orjson escapes control characters; only backslashes need doubling)."""
    if value is None:
        return r"\N"
    body = orjson.dumps(value).decode()
    return body.replace("\\", "\\\\") if "\\" in body else body


def _field(value: Any) -> str:
    """A text column as COPY text (a number or object that should have been a string: its JSON)."""
    if value is None:
        return r"\N"
    return _text(value if type(value) is str else orjson.dumps(value).decode())


def _time(envelope: dict, key: str, required: bool) -> datetime | None:
    value = envelope.get(key)
    if value is None or value == "":
        if required:
            raise Malformed(f"missing {key}")
        return None
    if not isinstance(value, str):
        raise Malformed(f"{key} is not a string: {value!r}")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise Malformed(f"{key} is not an ISO-8601 timestamp: {value[:60]!r}") from None
    if parsed.tzinfo is None:
        raise Malformed(f"{key} has no UTC offset: {value[:60]!r}")
    return parsed


def _pg_time(value: str, parsed: datetime) -> str:
    """The timestamp as COPY text: the line's own text when it is the extended form Postgres reads."""
    if len(value) > 18 and value[10] == "T" and value[4] == "-" and value[7] == "-" and value.isascii() \
            and " " not in value:
        return value
    return parsed.isoformat()


def community_of(envelope: Any) -> str | None:
    properties = envelope.get("properties") if isinstance(envelope, dict) else None
    value = properties.get("community_id") if isinstance(properties, dict) else None
    return None if value is None else str(value)


def parse_line(line: bytes, privacy: Privacy, now: datetime) -> tuple[str, str]:
    """(message_id, the event as COPY text without source_file/source_line/run_id), privacy-reduced;
    raises Malformed."""
    try:
        envelope = orjson.loads(line)
    except orjson.JSONDecodeError as error:
        raise Malformed(f"not JSON ({error.args[0] if error.args else 'decode error'})") from None
    if not isinstance(envelope, dict):
        raise Malformed(f"not a JSON object (a {type(envelope).__name__})", envelope)
    try:
        message_id = envelope.get("message_id")
        if not isinstance(message_id, str) or not message_id:
            raise Malformed("missing message_id" if message_id in (None, "") else
                            f"message_id is not a string: {message_id!r}")
        kind = envelope.get("type")
        if kind is None or kind == "":
            raise Malformed("missing type")
        if kind not in TYPES:
            raise Malformed(f"unknown type {kind!r} (expected track, page or identify)")
        event_at = _time(envelope, "timestamp", required=True)
        sent_at = _time(envelope, "sent_at", required=False)
        received_at = _time(envelope, "received_at", required=False)
        ahead = event_at - (received_at or now)
        if ahead < -MAX_AGE:
            raise Malformed(f"timestamp {envelope['timestamp']} is more than 5 years before "
                            f"{'received_at' if received_at else 'the load'}")
        if ahead > MAX_AHEAD:
            raise Malformed(f"timestamp {envelope['timestamp']} is more than 1 day after "
                            f"{'received_at' if received_at else 'the load'}")
        try:
            properties_check(envelope)  # staging casts these: one bad value must not fail the build
        except Invalid as error:
            raise Malformed(str(error)) from None
    except Malformed as error:
        error.payload, error.community_id = envelope, community_of(envelope)
        raise
    properties = envelope.get("properties")
    if isinstance(properties, dict):
        properties = privacy.fields(properties)
    elif properties is not None:
        properties = privacy.scrub(properties)
    traits = envelope.get("traits")
    if traits is not None:
        traits = privacy.scrub(traits) if not isinstance(traits, dict) else privacy.fields(traits)
    row = "\t".join((
        _text(message_id), kind, _field(envelope.get("event")), _field(envelope.get("user_id")),
        _field(envelope.get("anonymous_id")), _pg_time(envelope["timestamp"], event_at),
        _pg_time(envelope["sent_at"], sent_at) if sent_at else r"\N",
        _pg_time(envelope["received_at"], received_at) if received_at else r"\N",
        _json(privacy.context(envelope.get("context"))), _json(properties), _json(traits),
    ))
    return message_id, row
