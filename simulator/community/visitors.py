"""Anonymous visitors: page views (and their API calls) without a user_id.

They make `anonymous_id` real in the data, add community page views that belong
to no member (so "page views" and "active members" measure different things), and
follow the platform's UTC load curve. They only open communities without geo
rules: an anonymous visitor has no registration country, so no geo attempt.
"""

from __future__ import annotations

import random

from simulator.community import backend
from simulator.community.envelope import HOUR_MS, USER_AGENTS, Emitter, ip_for, short_id
from simulator.community.places import PLACES, WEIGHTS, Community
from simulator.community.sessions import poisson
from simulator.rand import stable_key


def visitor_events(seed: int, members: int, communities: list[Community], start_ms: int, end_ms: int,
                   out: list[tuple[int, dict]]) -> None:
    open_ = [c for c in communities if not c.rules.any]
    hour = start_ms - start_ms % HOUR_MS
    while hour < end_ms:
        rng = random.Random(stable_key(seed, "visitors", hour))
        lam = 0.03 * members * backend.LOAD[(hour // HOUR_MS) % 24]
        for v in range(poisson(rng, lam)):
            t = hour + rng.randrange(HOUR_MS)
            if t < start_ms or t + 10 * 60_000 >= end_ms:
                continue
            place = rng.choices(PLACES, weights=WEIGHTS)[0]
            anon = short_id("anon_", seed, hour, v)
            em = Emitter(seed, f"{anon}:{t}", rng, user_id=None, anonymous_id=anon, place=place, tz=place.tz,
                         ip=ip_for(place, anon), user_agent=rng.choice(USER_AGENTS), out=out)
            em.session_id = short_id("ses_", seed, anon, t)
            for _ in range(rng.choice((1, 1, 1, 2, 3))):
                if open_ and rng.random() < 0.6:
                    c = rng.choice(open_)
                    path, title, cid = f"/c/{c.slug}", c.name, c.community_id
                else:
                    path, title, cid = rng.choice((("/", "Home", None), ("/about", "About", None),
                                                   ("/explore", "Explore communities", None)))
                em.page(t, path, title, cid)
                backend.api_call(em, t + rng.randint(40, 200), "GET", "/api" + (path if path != "/" else "/feed"),
                                 end_ms)
                t += rng.randint(5_000, 120_000)
        hour += HOUR_MS
