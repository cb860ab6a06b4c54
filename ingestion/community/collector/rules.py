"""What the collector accepts: the file ingestion's envelope rules, plus typed event properties.

The envelope (message_id, type, timestamps and their range) is checked by the file ingestion's own
`events.parse_line`, so nothing the collector answers 2xx for is quarantined later for its shape.
On top, the collector checks what staging casts and tests (a `value` that is not a number would
break `::numeric`; an `access_result` outside allowed/blocked fails a dbt test): the known events'
properties, Segment's "a track has an event name" and "an event names its actor". Extra keys are
kept; unknown event names are accepted (they load, and the check `community_known_events` warns).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import orjson

from ingestion.community.events import Malformed, parse_line
from ingestion.community.privacy import Privacy

ACTIVITY_TYPES = ("view", "join", "leave", "post", "comment", "like", "share", "heartbeat")
ACCESS_RESULTS = ("allowed", "blocked")
ERROR_LEVELS = ("debug", "info", "warning", "error", "critical")
# Sent by the platform's servers, not on behalf of a member: no user_id / anonymous_id needed.
SERVER_EVENTS = frozenset({"api_request", "system_metric", "error_log", "error_resolved"})
# parse_line also reduces IPs; the collector only wants its verdict, so the cheapest mode will do.
_ENVELOPE_CHECK = Privacy("truncate")
_ENVELOPE_FIELDS = frozenset({"message_id", "type", "timestamp", "sent_at", "received_at"})


class Invalid(ValueError):
    """A call breaks the contract: `field` is its path (properties.value), `problem` what is wrong."""

    def __init__(self, field: str, problem: str):
        named = not field or field in problem.split()[:2]  # parse_line's reasons name their field first
        super().__init__(problem if named else f"{field}: {problem}")
        self.field = field
        self.problem = problem


Check = Callable[[Any], Any]  # the value (possibly normalized) or raises ValueError(problem)


def text(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError(f"expected a non-empty string, got {_show(value)}")
    return value


def identifier(value: Any) -> str:
    """An id sent as a string or an integer (the seed's `"community_id": 123`), stored as a string."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return text(value)


def number(value: Any) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"expected a number, got {_show(value)}")
    return value


def integer(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"expected an integer, got {_show(value)}")
    return value


def boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"expected true or false, got {_show(value)}")
    return value


def obj(value: Any) -> dict:
    if not isinstance(value, dict):
        raise ValueError(f"expected a JSON object, got {_show(value)}")
    return value


def timestamp(value: Any) -> str:
    parsed = None
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            pass
    if parsed is None or parsed.tzinfo is None:
        raise ValueError(f"expected an ISO-8601 timestamp with UTC offset, got {_show(value)}")
    return value


def one_of(*choices: str) -> Check:
    def check(value: Any) -> str:
        if value not in choices:
            raise ValueError(f"expected one of {', '.join(choices)}; got {_show(value)}")
        return value
    return check


def location(value: Any) -> dict:
    for key in ("country", "region", "city"):
        if obj(value).get(key) is not None and not isinstance(value[key], str):
            raise ValueError(f"{key} must be a string, got {_show(value[key])}")
    return value


Spec = dict[str, tuple[bool, Check]]  # field: (required, check); an optional field may be absent or null
PROPERTIES: dict[str, Spec] = {
    "community_activity": {"community_id": (True, identifier), "activity_type": (True, one_of(*ACTIVITY_TYPES)),
                           "metadata": (False, obj)},
    "geo_access_attempt": {"community_id": (True, identifier), "location": (False, location),
                           "access_result": (True, one_of(*ACCESS_RESULTS)), "is_traveler": (False, boolean),
                           "is_bypass": (False, boolean)},
    "api_request": {"method": (True, text), "path": (True, text), "status": (True, integer),
                    "response_time_ms": (False, number)},
    "system_metric": {"metric_type": (True, text), "value": (True, number), "additional_data": (False, obj)},
    "error_log": {"error_id": (True, identifier), "level": (True, one_of(*ERROR_LEVELS)), "message": (True, text),
                  "category": (False, text), "stack_trace": (False, text), "url": (False, text),
                  "method": (False, text), "ip_address": (False, text), "user_agent": (False, text),
                  "extra_data": (False, obj)},
    "error_resolved": {"error_id": (True, identifier)},
    "follow": {"target_user_id": (True, identifier)},
    "unfollow": {"target_user_id": (True, identifier)},
    "recommendation_shown": {"item_id": (True, identifier), "community_id": (False, identifier)},
    "recommendation_clicked": {"item_id": (True, identifier), "community_id": (False, identifier)},
}
PAGE_PROPERTIES: Spec = {"path": (False, text), "title": (False, text), "community_id": (False, identifier)}
IDENTIFY_TRAITS: Spec = {"registration_country": (False, text), "registration_city": (False, text),
                         "joined_at": (False, timestamp)}


def _show(value: Any) -> str:
    shown = orjson.dumps(value).decode() if not isinstance(value, bytes) else repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def _apply(spec: Spec, values: dict, where: str) -> None:
    """Check (and normalize in place) the fields of `spec` in `values`."""
    for name, (required, check) in spec.items():
        value = values.get(name)
        if value is None:
            if required:
                raise Invalid(f"{where}.{name}", "missing")
            continue
        try:
            values[name] = check(value)
        except ValueError as error:
            raise Invalid(f"{where}.{name}", str(error)) from None


def validate(envelope: dict, now: datetime | None = None) -> bytes:
    """The envelope as one NDJSON line (properties normalized in place), or Invalid."""
    kind, event = envelope.get("type"), envelope.get("event")
    if kind == "track" and (not isinstance(event, str) or not event):
        raise Invalid("event", "a track call needs the event's name")
    for key in ("properties", "traits", "context"):
        if envelope.get(key) is not None and not isinstance(envelope[key], dict):
            raise Invalid(key, f"expected a JSON object, got {_show(envelope[key])}")
    if kind == "identify":
        _apply(IDENTIFY_TRAITS, envelope.setdefault("traits", {}), "traits")
    elif kind == "page":
        _apply(PAGE_PROPERTIES, envelope.setdefault("properties", {}), "properties")
    elif kind == "track" and event in PROPERTIES:
        _apply(PROPERTIES[event], envelope.setdefault("properties", {}), "properties")
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
    try:  # the file ingestion's envelope rules, exactly
        parse_line(line, _ENVELOPE_CHECK, now or datetime.now(UTC))
    except Malformed as error:
        named = next((word for word in error.reason.split()[:2] if word in _ENVELOPE_FIELDS), "")
        raise Invalid(named, error.reason) from None
    return line
