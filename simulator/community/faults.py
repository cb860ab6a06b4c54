"""Delivery faults for the community landing zone, switched on by a JSON object.

    {"duplicates": 20, "late": 10, "late_days": 2, "clock_skew": 15, "skew_minutes": 30,
     "malformed": 6, "unknown_events": 5, "burst": true, "burst_factor": 10}

Counts are exact so tests (and ingestion's own tests) can assert them:
- duplicates: N events delivered a second time, 1-6 h later in a later file: same
  message_id and content, only `received_at` differs (a collector retry).
- late: N events held back `late_days` days (default 2; clipped to the window's last
  file): `timestamp` unchanged, `sent_at`/`received_at` are the late delivery.
- clock_skew: N events whose client clock is off by 2..`skew_minutes` (default 30)
  minutes either way: `timestamp` and `sent_at` shift, `received_at` does not.
- malformed: N extra lines that are no event: alternately a truncated copy of a real
  line (not parseable) and valid JSON that is not an object. No event is lost.
- unknown_events: N extra, well-formed track events whose name is not in the contract.
- burst: true (the window's middle hour) or an ISO hour; page views and API requests
  timed in that hour are multiplied by `burst_factor` (default 10) by anonymous bots.
  This is real traffic: the truth counts it.
Unknown keys fail loudly (a typo must not silently test nothing).
"""

from __future__ import annotations

import copy
import json
import random
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime
from typing import Any

from simulator.clock import as_utc
from simulator.community.envelope import DAY_MS, HOUR_MS, iso, message_id, short_id
from simulator.rand import stable_key

UNKNOWN_NAMES = ("community_poll_vote", "live_stream_started", "badge_awarded")
NOT_OBJECTS = ('[1, 2, 3]', '"community_activity"', '42', 'null', '[{"message_id": "not-an-envelope"}]')
Delivery = tuple[int, Any]  # (received ms, event dict or raw line)


@dataclass(frozen=True)
class CommunityFaults:
    duplicates: int = 0
    late: int = 0
    late_days: int = 2
    clock_skew: int = 0
    skew_minutes: int = 30
    malformed: int = 0
    unknown_events: int = 0
    burst: bool | str = False
    burst_factor: int = 10

    @classmethod
    def parse(cls, value: str | bytes | dict | None) -> CommunityFaults:
        if value is None or (isinstance(value, str | bytes) and not value.strip()):
            return cls()
        raw = json.loads(value) if isinstance(value, str | bytes) else value
        if not isinstance(raw, dict):
            raise ValueError("community faults must be a JSON object")
        known = {f.name for f in fields(cls)}
        for key, val in raw.items():
            if key not in known:
                raise ValueError(f"unknown community fault key {key!r}; known: {', '.join(sorted(known))}")
            if key == "burst":
                if not isinstance(val, bool | str):
                    raise ValueError("burst must be true/false or an ISO hour")
            elif isinstance(val, bool) or not isinstance(val, int) or val < 0:
                raise ValueError(f"{key} must be a non-negative integer")
        if raw.get("burst_factor", 10) < 1 or raw.get("skew_minutes", 30) < 3:
            raise ValueError("burst_factor must be >= 1 and skew_minutes >= 3")
        return cls(**raw)


@dataclass
class FaultLog:
    """What the injector did: the message ids touched, so tests can check each fault by id."""

    duplicates: list[str] = field(default_factory=list)
    late: list[str] = field(default_factory=list)
    clock_skew: list[str] = field(default_factory=list)
    unknown_events: list[str] = field(default_factory=list)
    malformed: int = 0
    burst_hour: str | None = None
    burst_events: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _ms(text: str) -> int:
    return round(datetime.fromisoformat(text).timestamp() * 1000)


def apply(faults: CommunityFaults, deliveries: list[Delivery], seed: int, start_ms: int, end_ms: int) -> FaultLog:
    """Mutate `deliveries` in place (they must be in a deterministic order) and return the log."""
    log = FaultLog()
    rng = random.Random(stable_key(seed, "community-faults"))
    last_hour = (end_ms - 1) - (end_ms - 1) % HOUR_MS
    if faults.burst:
        _burst(faults, deliveries, seed, start_ms, end_ms, rng, log)
    events = [i for i, (_, ev) in enumerate(deliveries) if isinstance(ev, dict) and ev["event"] != "system_metric"]
    early = [i for i in events if deliveries[i][0] < last_hour]
    wanted = faults.late + faults.duplicates + faults.clock_skew
    if wanted > len(early):
        raise ValueError(f"not enough events for {wanted} late/duplicate/skewed events")
    horizon = end_ms - faults.late_days * DAY_MS - HOUR_MS
    late_pool = [i for i in early if deliveries[i][0] < horizon]
    # shuffled pools sliced in a fixed order, so adding duplicates never changes which events are late/skewed
    late_pool = list(late_pool if len(late_pool) >= faults.late else early)
    rng.shuffle(late_pool)
    late = late_pool[:faults.late]
    taken = set(late)
    rest = [i for i in early if i not in taken]
    rng.shuffle(rest)
    skewed, dups = rest[:faults.clock_skew], rest[faults.clock_skew:faults.clock_skew + faults.duplicates]
    for i in late:
        recv, ev = deliveries[i]
        ev = copy.deepcopy(ev)
        new = min(recv + faults.late_days * DAY_MS + rng.randrange(HOUR_MS), end_ms - 1)
        ev["received_at"] = iso(new)
        ev["sent_at"] = iso(new - rng.randint(100, 2000), ev["context"]["timezone"])
        deliveries[i] = (new, ev)
        log.late.append(ev["message_id"])
    for i in skewed:
        recv, ev = deliveries[i]
        shift = rng.choice((-1, 1)) * rng.randint(2 * 60_000, faults.skew_minutes * 60_000)
        tz = ev["context"]["timezone"]
        ev = copy.deepcopy(ev)
        ev["timestamp"] = iso(_ms(ev["timestamp"]) + shift, tz)
        ev["sent_at"] = iso(_ms(ev["sent_at"]) + shift, tz)
        deliveries[i] = (recv, ev)
        log.clock_skew.append(ev["message_id"])
    for i in dups:
        recv, ev = deliveries[i]
        again = copy.deepcopy(ev)
        new = min(recv + rng.randint(HOUR_MS, 6 * HOUR_MS), end_ms - 1)
        again["received_at"] = iso(new)
        deliveries.append((new, again))
        log.duplicates.append(ev["message_id"])
    members = [i for i in events if deliveries[i][1]["user_id"] is not None]
    for k in range(faults.unknown_events):
        recv, base = deliveries[rng.choice(members)]
        ev = copy.deepcopy(base)
        ev.pop("traits", None)
        ev.update(message_id=message_id(seed, "unknown-event", k), type="track",
                  event=UNKNOWN_NAMES[k % len(UNKNOWN_NAMES)],
                  properties={"poll_id": short_id("poll_", seed, k), "choice": rng.randint(1, 4)})
        deliveries.append((recv, ev))
        log.unknown_events.append(ev["message_id"])
    for k in range(faults.malformed):
        recv, base = deliveries[rng.choice(events)]
        if k % 2 == 0:
            text = json.dumps(base, separators=(",", ":"))
            line = text[: len(text) // 2]
        else:
            line = NOT_OBJECTS[(k // 2) % len(NOT_OBJECTS)]
        deliveries.append((recv, line))
        log.malformed += 1
    return log


def burst_hour(faults: CommunityFaults, start_ms: int, end_ms: int) -> int:
    if faults.burst is True:
        first = start_ms - start_ms % HOUR_MS
        return first + ((end_ms - first) // HOUR_MS // 2) * HOUR_MS
    hour = int(as_utc(str(faults.burst)).timestamp() * 1000)
    hour -= hour % HOUR_MS
    if not start_ms <= hour < end_ms:
        raise ValueError(f"burst hour {faults.burst} is outside the window")
    return hour


def _burst(faults: CommunityFaults, deliveries: list[Delivery], seed: int, start_ms: int, end_ms: int,
           rng: random.Random, log: FaultLog) -> None:
    hour = burst_hour(faults, start_ms, end_ms)
    log.burst_hour = iso(hour)
    base = [ev for _, ev in deliveries if isinstance(ev, dict) and (ev["type"] == "page" or ev["event"] == "api_request")
            and hour <= _ms(ev["timestamp"]) < hour + HOUR_MS]
    for ev in base:
        for j in range(1, faults.burst_factor):
            bot = short_id("bot_", seed, ev["message_id"], j)
            clone = copy.deepcopy(ev)
            tz = clone["context"]["timezone"]
            t = hour + rng.randrange(HOUR_MS)
            sent = t + rng.randint(20, 2500)
            recv = sent + rng.randint(30, 900)
            clone.update(message_id=message_id(seed, "burst", ev["message_id"], j), user_id=None, anonymous_id=bot,
                         timestamp=iso(t, tz), sent_at=iso(sent, tz), received_at=iso(recv))
            clone["context"]["session_id"] = short_id("ses_", seed, bot)
            deliveries.append((recv, clone))
            log.burst_events += 1
