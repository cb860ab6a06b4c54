"""Members: where they registered, when they joined, how active they are, when they churn, trips.

Each member is a pure function of (seed, index, window start) — never of the window's
end — so a longer window only adds what happens after the shorter one ended: a demo
that extends its landing zone day by day (landing.extend_files) never rewrites a day.
`n` members were there before the window; new ones register at a steady rate (about
25 % of `n` in two weeks; their identify carries that `joined_at`). Pre-existing
members already belong to 1-3 communities their home location is allowed into. About
30 % eventually churn (no events after `churn_ms`; ~11 % within two weeks); about 8 %
start a trip abroad in each week, which is where "traveler" geo attempts and blocks of
otherwise allowed members come from.
"""

from __future__ import annotations

import bisect
import math
import random
from dataclasses import dataclass

from simulator.community.envelope import DAY_MS, USER_AGENTS, ip_for, short_id
from simulator.community.places import PLACES, WEIGHTS, Community, Place
from simulator.rand import stable_key

NEW_PER_DAY = 0.018    # registrations per day, as a share of the members before the window
CHURN_SHARE = 0.3      # members who eventually stop ...
CHURN_MEAN_DAYS = 30   # ... after an exponential time with this mean
TRIP_PERIOD_DAYS = 7   # each member may travel once per period (trips last 1.5-4 days)
TRIP_SHARE = 0.08


@dataclass
class Member:
    user_id: str
    home: Place
    joined_ms: int
    registers_in_window: bool
    churn_ms: int | None
    rate: float                      # mean sessions per day
    communities: list[str]           # memberships at the start of the window
    user_agent: str
    trips: list[tuple[int, int, Place]]  # (from_ms, to_ms, place), in time order, not overlapping

    def place_at(self, ms: int) -> Place:
        for start, end, place in self.trips:
            if start <= ms < end:
                return place
        return self.home

    def ip_at(self, ms: int) -> str:
        return ip_for(self.place_at(ms), "ip", self.user_id, self.place_at(ms).city)


def _pick_communities(rng: random.Random, home: Place, communities: list[Community], k: int) -> list[str]:
    pool = [c for c in communities if not c.rules.blocks(home)]
    chosen: list[str] = []
    while pool and len(chosen) < k:
        c = rng.choices(pool, weights=[c.popularity for c in pool])[0]
        pool.remove(c)
        chosen.append(c.community_id)
    return chosen


def _trips(seed: int, i: int, home: Place, start_ms: int, end_ms: int) -> list[tuple[int, int, Place]]:
    """At most one trip per week from the window start, each drawn from its own stream."""
    out: list[tuple[int, int, Place]] = []
    period = TRIP_PERIOD_DAYS * DAY_MS
    for k in range(max(0, -(-(end_ms - start_ms) // period))):
        rng = random.Random(stable_key(seed, "trip", i, k))
        if rng.random() >= TRIP_SHARE:
            continue
        abroad = [p for p in PLACES if p.country != home.country]
        dest = rng.choices(abroad, weights=[p.weight for p in abroad])[0]
        t0 = start_ms + k * period + int(rng.random() * (period - 4 * DAY_MS))
        out.append((t0, t0 + int(rng.uniform(1.5, 4) * DAY_MS), dest))
    return out


def _member(seed: int, i: int, joined: int | None, start_ms: int, end_ms: int,
            communities: list[Community]) -> Member:
    """Member `i`; `joined` is set for one who registers inside the window."""
    rng = random.Random(stable_key(seed, "member", i))
    home = rng.choices(PLACES, weights=WEIGHTS)[0]
    new = joined is not None
    if joined is None:
        joined = start_ms - int(rng.uniform(1, 720) * DAY_MS)
    joined -= joined % 1000
    churn = None
    if rng.random() < CHURN_SHARE:
        churn = max(joined, start_ms) + int(rng.expovariate(1 / CHURN_MEAN_DAYS) * DAY_MS)
    rate = min(6.0, max(0.08, math.exp(rng.gauss(-0.4, 0.8))))
    memberships = [] if new else _pick_communities(rng, home, communities, rng.choice((1, 1, 2, 2, 3)))
    return Member(short_id("usr_", seed, "member", i), home, joined, new, churn, rate, memberships,
                  rng.choice(USER_AGENTS), _trips(seed, i, home, start_ms, end_ms))


def make_members(seed: int, n: int, start_ms: int, end_ms: int, communities: list[Community]) -> list[Member]:
    """The `n` members before the window, then every registration inside it (one every
    1 / (n × NEW_PER_DAY) days, jittered) — member k's join time does not depend on `end_ms`."""
    out = [_member(seed, i, None, start_ms, end_ms, communities) for i in range(n)]
    gap = DAY_MS / max(n * NEW_PER_DAY, 1e-9)
    k = 0
    while True:
        jitter = random.Random(stable_key(seed, "registration", k)).random()
        joined = start_ms + int((k + jitter) * gap)
        if joined >= end_ms:
            return out
        out.append(_member(seed, n + k, joined, start_ms, end_ms, communities))
        k += 1


class Roster:
    """Who is a member at a given time: everyone from before the window, then registrations up to it
    (the choice of, say, a follow target must not depend on members who register later)."""

    def __init__(self, members: list[Member]) -> None:
        self._before = [m.user_id for m in members if not m.registers_in_window]
        joined = sorted((m.joined_ms, m.user_id) for m in members if m.registers_in_window)
        self._joined_ms = [ms for ms, _ in joined]
        self._ids = self._before + [uid for _, uid in joined]

    def ids_at(self, ms: int) -> list[str]:
        return self._ids[:len(self._before) + bisect.bisect_right(self._joined_ms, ms)]
