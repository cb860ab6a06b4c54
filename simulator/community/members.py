"""Members: where they registered, when they joined, how active they are, when they churn, trips.

Each member is a pure function of (seed, index), so adding members never changes
the existing ones. A quarter register inside the window (their identify carries
that `joined_at`), the rest were members before it and already belong to 1-3
communities their home location is allowed into. About 12 % churn (no events
after `churn_ms`); about 15 % take a trip abroad, which is where "traveler" geo
attempts and blocks of otherwise allowed members come from.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from simulator.community.envelope import DAY_MS, USER_AGENTS, ip_for, short_id
from simulator.community.places import PLACES, WEIGHTS, Community, Place
from simulator.rand import stable_key


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
    trip: tuple[int, int, Place] | None  # (from_ms, to_ms, place)

    def place_at(self, ms: int) -> Place:
        if self.trip and self.trip[0] <= ms < self.trip[1]:
            return self.trip[2]
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


def make_members(seed: int, n: int, start_ms: int, end_ms: int, communities: list[Community]) -> list[Member]:
    out = []
    span = end_ms - start_ms
    for i in range(n):
        rng = random.Random(stable_key(seed, "member", i))
        home = rng.choices(PLACES, weights=WEIGHTS)[0]
        new = rng.random() < 0.25
        joined = start_ms + int(rng.random() * span * 0.9) if new else start_ms - int(rng.uniform(1, 720) * DAY_MS)
        joined -= joined % 1000
        churn = None
        if rng.random() < 0.12:
            first = max(joined, start_ms)
            churn = first + int(rng.random() * (end_ms - first))
        rate = min(6.0, max(0.08, math.exp(rng.gauss(-0.4, 0.8))))
        memberships = [] if new else _pick_communities(rng, home, communities, rng.choice((1, 1, 2, 2, 3)))
        trip = None
        if rng.random() < 0.15:
            abroad = [p for p in PLACES if p.country != home.country]
            dest = rng.choices(abroad, weights=[p.weight for p in abroad])[0]
            t0 = start_ms + int(rng.random() * span)
            trip = (t0, t0 + int(rng.uniform(1.5, 4) * DAY_MS), dest)
        out.append(Member(short_id("usr_", seed, "member", i), home, joined, new, churn, rate, memberships,
                          rng.choice(USER_AGENTS), trip))
    return out
