"""The collector's endpoints and what one request body becomes: NDJSON lines, or a 4xx answer.

Paths (docs/community.md "Collector"): Segment's HTTP tracking API (`/v1/track`, `/v1/page`,
`/v1/identify`, `/v1/batch`, its alias `/v1/import`) and seed 004's tracking calls
(`/api/community-analytics/track/`, `/api/geo-analytics/track/`, `/api/metrics/`, `/api/errors/`).
A batch is all or nothing: one bad item rejects it (400, every bad index named) and nothing of it
is stored, so the sender fixes and resends the whole batch without double counting.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import orjson

from ingestion.community.collector.calls import batch_items, from_envelope, from_seed_call
from ingestion.community.collector.rules import Invalid, validate

MAX_CALL_BYTES = 32 * 1024  # Segment's limits: 32 KB per call, 500 KB per batch
MAX_BATCH_BYTES = 500 * 1024


@dataclass(frozen=True)
class Route:
    shape: str  # envelope | batch | seed
    name: str | None = None  # the envelope's type, or the seed call's event
    max_bytes: int = MAX_CALL_BYTES


ROUTES = {
    "/v1/track": Route("envelope", "track"),
    "/v1/page": Route("envelope", "page"),
    "/v1/identify": Route("envelope", "identify"),
    "/v1/batch": Route("batch", max_bytes=MAX_BATCH_BYTES),
    "/v1/import": Route("batch", max_bytes=MAX_BATCH_BYTES),
    "/api/community-analytics/track": Route("seed", "community_activity"),
    "/api/geo-analytics/track": Route("seed", "geo_access_attempt"),
    "/api/metrics": Route("seed", "system_metric"),
    "/api/errors": Route("seed", "error_log"),
}


def route(path: str) -> Route | None:
    """The route of a request path (query string ignored; trailing slash optional)."""
    return ROUTES.get(path.split("?", 1)[0].rstrip("/") or "/")


@dataclass
class Rejected(Exception):
    """A 4xx answer: `error` says what is wrong; `items` the bad indexes of a batch."""

    status: int
    error: str
    field: str | None = None
    items: list[dict] = dataclasses.field(default_factory=list)

    def body(self) -> dict:
        out: dict[str, Any] = {"success": False, "error": self.error}
        if self.field:
            out["field"] = self.field
        if self.items:
            out["items"] = self.items
        return out


@dataclass(frozen=True)
class Accepted:
    data: bytes  # NDJSON lines, one per event
    message_ids: list[str]


def _line(envelope: dict) -> tuple[bytes, str]:
    line = validate(envelope)
    if len(line) > MAX_CALL_BYTES:
        raise Invalid("", f"the event is {len(line)} bytes; at most {MAX_CALL_BYTES} per event")
    return line, envelope["message_id"]


def _seed_field(field_path: str) -> str:
    """properties.activity_type → activity_type: the name the seed call used."""
    return field_path.removeprefix("properties.")


def handle(target: Route, body: bytes, received_at: str) -> Accepted:
    """Validate and map a request body; raises Rejected (nothing is stored then)."""
    try:
        payload = orjson.loads(body)
    except orjson.JSONDecodeError as error:
        raise Rejected(400, f"the body is not JSON ({error.args[0] if error.args else 'decode error'})") from None
    try:
        if target.shape == "envelope":
            line, message_id = _line(from_envelope(payload, received_at, target.name))
            return Accepted(line, [message_id])
        if target.shape == "seed":
            try:
                line, message_id = _line(from_seed_call(target.name, payload, received_at))
            except Invalid as error:
                raise Invalid(_seed_field(error.field), error.problem) from None
            return Accepted(line, [message_id])
        items, defaults = batch_items(payload)
    except Invalid as error:
        raise Rejected(400, str(error), error.field or None) from None
    return _batch(items, defaults, received_at)


def _batch(items: list, defaults: dict, received_at: str) -> Accepted:
    lines, ids, bad = [], [], []
    for index, item in enumerate(items):
        try:
            line, message_id = _line(from_envelope(item, received_at, None, defaults))
        except Invalid as error:
            bad.append({"index": index, "field": error.field or None, "error": str(error)})
            continue
        lines.append(line)
        ids.append(message_id)
    if bad:
        raise Rejected(400, f"{len(bad)} of {len(items)} batch items are invalid (indexes "
                            f"{', '.join(str(b['index']) for b in bad[:20])}{', ...' if len(bad) > 20 else ''}); "
                            f"nothing of this batch was stored", "batch", bad)
    return Accepted(b"".join(lines), ids)
