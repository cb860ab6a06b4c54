"""Incoming calls → the contract's envelope (docs/community.md "Event format").

Two shapes arrive: Segment-style envelopes (`/v1/track|page|identify`, the items of `/v1/batch`;
Segment's camelCase keys are accepted too, so a Segment SDK can point its host here) and seed 004's
tracking calls (`/api/community-analytics/track/` ...), whose flat bodies become track events.
Either way the collector stamps `received_at`, assigns a uuid4 `message_id` when the caller sent
none (a caller that retries should send its own: the dedupe key), and sets `timestamp` to
`received_at` when absent (as Segment does). Nothing is dropped except a `writeKey` in the body.
"""

from __future__ import annotations

import uuid
from typing import Any

from ingestion.community.collector.rules import Invalid

# Segment's spelling → the contract's (a snake_case key wins when both are sent).
ALIASES = {"messageId": "message_id", "userId": "user_id", "anonymousId": "anonymous_id", "sentAt": "sent_at",
           "receivedAt": "received_at"}
ENVELOPE_KEYS = frozenset({"message_id", "type", "event", "user_id", "anonymous_id", "timestamp", "sent_at",
                           "received_at", "context", "properties", "traits"})
SECRET_KEYS = ("writeKey", "write_key")

# seed 004's tracking calls: the track event each one is (docs/community.md "Collector").
SEED_EVENTS = {
    "community_activity": "community_activity",  # POST /api/community-analytics/track/
    "geo_access_attempt": "geo_access_attempt",  # POST /api/geo-analytics/track/
    "system_metric": "system_metric",  # POST /api/metrics/
    "error_log": "error_log",  # POST /api/errors/
}


def _object(body: Any, where: str) -> dict:
    if not isinstance(body, dict):
        raise Invalid(where, f"expected a JSON object, got {'null' if body is None else type(body).__name__}")
    return body


def _normalized(body: dict) -> dict:
    out = {key: value for key, value in body.items() if key not in ALIASES and key not in SECRET_KEYS}
    for camel, snake in ALIASES.items():
        if camel in body and out.get(snake) is None:
            out[snake] = body[camel]
    return out


def _stamp(envelope: dict, received_at: str, defaults: dict | None = None) -> dict:
    for key, value in (defaults or {}).items():
        if envelope.get(key) is None and value is not None:
            envelope[key] = value
    envelope["received_at"] = received_at  # the collector is the receiver: its clock, always
    if envelope.get("message_id") is None:
        envelope["message_id"] = str(uuid.uuid4())
    if envelope.get("timestamp") is None:
        envelope["timestamp"] = received_at
    if envelope.get("event") == "error_log" and isinstance(envelope.get("properties"), dict) \
            and envelope["properties"].get("error_id") is None:
        # error_resolved links to it by error_id; the message's own id is unique and stable on redelivery.
        envelope["properties"] = {**envelope["properties"], "error_id": envelope["message_id"]}
    return envelope


def from_envelope(body: Any, received_at: str, kind: str | None = None, defaults: dict | None = None) -> dict:
    """A Segment-style call. `kind` is the endpoint's type (/v1/track → track); None in a batch."""
    envelope = _normalized(_object(body, "body"))
    if kind is not None:
        if envelope.get("type") not in (None, kind):
            raise Invalid("type", f"is {envelope['type']!r} on the {kind} endpoint")
        envelope["type"] = kind
    return _stamp(envelope, received_at, defaults)


def from_seed_call(name: str, body: Any, received_at: str) -> dict:
    """A seed 004 tracking call: envelope keys stay envelope keys, every other field is a property."""
    body = _normalized(_object(body, "body"))
    envelope: dict = {"type": "track", "event": SEED_EVENTS[name]}
    properties: dict = {}
    for key, value in body.items():
        if key in ("type", "event"):
            raise Invalid(key, f"not a field of this call (it is always a {SEED_EVENTS[name]} track event)")
        (envelope if key in ENVELOPE_KEYS else properties)[key] = value
    if isinstance(envelope.get("properties"), dict):  # an explicit properties object merges in
        properties = {**envelope["properties"], **properties}
    if name == "error_log" and envelope.get("user_id") is None and "user" in properties:
        envelope["user_id"] = properties.pop("user")  # the seed's ErrorLog.user
    if name == "community_activity":
        properties.setdefault("metadata", {})
    if name == "geo_access_attempt":
        place = properties.get("location")
        if isinstance(place, dict) and properties.get("is_traveler") is None and "is_traveler" in place:
            properties["is_traveler"] = place["is_traveler"]  # the seed reads it from location_data
        context = {} if envelope.get("context") is None else envelope["context"]
        if isinstance(place, dict) and isinstance(context, dict) and "location" not in context:
            # the attempt's place is where the member is (staging reads context.location for the user)
            envelope["context"] = {**context, "location": {k: place[k] for k in ("country", "region", "city")
                                                           if k in place}}
    envelope["properties"] = properties
    return _stamp(envelope, received_at)


def batch_items(body: Any) -> tuple[list, dict]:
    """The items of a /v1/batch body and the defaults its top level gives them (sentAt, context)."""
    body = _normalized(_object(body, "body"))
    items = body.get("batch")
    if not isinstance(items, list):
        raise Invalid("batch", "expected a list of calls")
    if not items:
        raise Invalid("batch", "is empty")
    return items, {"sent_at": body.get("sent_at"), "context": body.get("context")}
