"""Building contract envelopes: ids, client/collector times, context.

Times are integer milliseconds since the epoch inside the generator (cheap to add
and compare) and become ISO-8601 strings only here. `timestamp` and `sent_at` are
client clocks, written with the offset of the client's time zone (so consumers must
honour offsets: the truth's day is the UTC date); `received_at` is the collector's
clock, always UTC.
"""

from __future__ import annotations

import hashlib
import random
import uuid
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from simulator.community.places import Place

_ZONES: dict[str, ZoneInfo] = {}
USER_AGENTS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
    "Mozilla/5.0 (Linux; Android 15; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36",
    "CommunityApp/4.2.0 (Android 14; SM-S918B)",
)
SERVER_AGENT = "community-backend/2.3 (python-requests)"
HOUR_MS = 3_600_000
DAY_MS = 24 * HOUR_MS


def zone(name: str) -> ZoneInfo:
    z = _ZONES.get(name)
    if z is None:
        z = _ZONES[name] = ZoneInfo(name)
    return z


def iso(ms: int, tz: str = "UTC") -> str:
    """ISO-8601 with milliseconds and the zone's offset at that instant (UTC -> +00:00)."""
    dt = datetime.fromtimestamp(ms // 1000, UTC if tz == "UTC" else zone(tz))
    return dt.replace(microsecond=(ms % 1000) * 1000).isoformat(timespec="milliseconds")


def to_ms(dt: datetime) -> int:
    return int(dt.timestamp() * 1000)


def message_id(*parts: object) -> str:
    """A UUID-shaped id hashed from its coordinates: unique and the same on every run."""
    text = "\x1f".join(str(p) for p in parts).encode()
    return str(uuid.UUID(bytes=hashlib.blake2b(text, digest_size=16).digest()))


def short_id(prefix: str, *parts: object) -> str:
    text = "\x1f".join(str(p) for p in parts).encode()
    return f"{prefix}{hashlib.blake2b(text, digest_size=6).hexdigest()}"


def ip_for(place: Place, *parts: object) -> str:
    h = hashlib.blake2b("\x1f".join(map(str, parts)).encode(), digest_size=3).digest()
    return f"{place.ip_octet}.{h[0]}.{h[1]}.{max(h[2], 1)}"


class Emitter:
    """Makes the envelopes of one scope (a member, a visitor, the servers): ids are scope + counter.

    Each envelope is returned with its collector time: `(received_ms, event)`.
    """

    def __init__(self, seed: int, scope: str, rng: random.Random, *, user_id: str | None,
                 anonymous_id: str | None, place: Place, tz: str, ip: str, user_agent: str,
                 out: list[tuple[int, dict]]) -> None:
        self.seed, self.scope, self.rng, self.out = seed, scope, rng, out
        self.user_id, self.anonymous_id = user_id, anonymous_id
        self.place, self.tz, self.ip, self.user_agent = place, tz, ip, user_agent
        self.session_id: str | None = None
        self.n = 0
        self.last_ms = 0  # latest client time emitted (a session ending past the window is dropped)

    def emit(self, ms: int, type_: str, event: str | None, body: dict, *, sent_delay_ms: int | None = None) -> dict:
        self.n += 1
        self.last_ms = max(self.last_ms, ms)
        sent = ms + (sent_delay_ms if sent_delay_ms is not None else self.rng.randint(20, 2500))
        received = sent + self.rng.randint(30, 900)
        context: dict = {"ip": self.ip, "user_agent": self.user_agent, "location": self.place.location(),
                         "timezone": self.tz}
        if self.session_id is not None:
            context["session_id"] = self.session_id
        ev = {"message_id": message_id(self.seed, self.scope, self.n), "type": type_, "event": event,
              "user_id": self.user_id, "anonymous_id": self.anonymous_id, "timestamp": iso(ms, self.tz),
              "sent_at": iso(sent, self.tz), "received_at": iso(received), "context": context}
        ev["traits" if type_ == "identify" else "properties"] = body
        self.out.append((received, ev))
        return ev

    def track(self, ms: int, event: str, properties: dict) -> dict:
        return self.emit(ms, "track", event, properties)

    def page(self, ms: int, path: str, title: str, community_id: str | None) -> dict:
        return self.emit(ms, "page", None, {"path": path, "title": title, "community_id": community_id})
