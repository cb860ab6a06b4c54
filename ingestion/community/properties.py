"""The properties of the contract's events: which fields each known event carries and their types.

Both ways in use it — the file ingestion (`events.parse_line`: a line that breaks it is quarantined
with the reason) and the collector (a 4xx naming the field) — because staging casts these fields
(`value::numeric`, `status::int`, `is_traveler::boolean`) and tests their allowed values: one bad
line must be held back on its own, not fail the community build. Extra keys are kept; unknown event
names pass (they load, and the GX suite warns about them).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime
from typing import Any

import orjson

ACTIVITY_TYPES = ("view", "join", "leave", "post", "comment", "like", "share", "heartbeat")
ACCESS_RESULTS = ("allowed", "blocked")
ERROR_LEVELS = ("debug", "info", "warning", "error", "critical")


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
        raise ValueError(f"expected a non-empty string, got {shown(value)}")
    return value


def identifier(value: Any) -> str:
    """An id sent as a string or an integer (the seed's `"community_id": 123`), stored as a string."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return text(value)


def number(value: Any) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"expected a number, got {shown(value)}")
    return value


def integer(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"expected an integer, got {shown(value)}")
    return value


def boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"expected true or false, got {shown(value)}")
    return value


def obj(value: Any) -> dict:
    if not isinstance(value, dict):
        raise ValueError(f"expected a JSON object, got {shown(value)}")
    return value


def timestamp(value: Any) -> str:
    parsed = None
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            pass
    if parsed is None or parsed.tzinfo is None:
        raise ValueError(f"expected an ISO-8601 timestamp with UTC offset, got {shown(value)}")
    return value


def one_of(*choices: str) -> Check:
    def check(value: Any) -> str:
        if value not in choices:
            raise ValueError(f"expected one of {', '.join(choices)}; got {shown(value)}")
        return value
    return check


def location(value: Any) -> dict:
    for key in ("country", "region", "city"):
        if obj(value).get(key) is not None and not isinstance(value[key], str):
            raise ValueError(f"{key} must be a string, got {shown(value[key])}")
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


def shown(value: Any) -> str:
    """A value as it was sent, short enough for an error message."""
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


def check(envelope: dict) -> None:
    """Check (and normalize in place: an integer id becomes a string) the known fields of the
    envelope's properties or traits; raises Invalid naming the first field that breaks the contract."""
    kind, event = envelope.get("type"), envelope.get("event")
    for key in ("properties", "traits"):
        if envelope.get(key) is not None and not isinstance(envelope[key], dict):
            raise Invalid(key, f"expected a JSON object, got {shown(envelope[key])}")
    if kind == "identify":
        _apply(IDENTIFY_TRAITS, envelope.setdefault("traits", {}), "traits")
    elif kind == "page":
        _apply(PAGE_PROPERTIES, envelope.setdefault("properties", {}), "properties")
    elif kind == "track" and event in PROPERTIES:
        _apply(PROPERTIES[event], envelope.setdefault("properties", {}), "properties")
