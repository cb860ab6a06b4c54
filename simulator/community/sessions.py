"""A member's sessions: when they happen, and what happens inside them.

Why per member-day random streams: a member's day is drawn from
`Random(stable_key(seed, member, local date))`, so the same seed and window always
give the same sessions, and one member's activity never depends on how many
values another member drew (the counter-based idea of `simulator.rand`, at the
grain of a member-day; scalar draws per event would be too slow through numpy).

Timing follows the member's home time zone: a weekday x hour weight table
(evenings peak, nights are quiet, weekends busier and later). Sessions are kept
more than 30 minutes apart (the contract's session gap), and inside a session no
two consecutive events are more than ~60 s apart while a community is open,
because the client sends a heartbeat every ~60 s (57-63 s) until the member
leaves the page. A session ends with its last event; one whose events would
reach the end of the window is not generated at all.
"""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta

from simulator.community import backend
from simulator.community.contract import SESSION_GAP_S
from simulator.community.envelope import Emitter, short_id, zone
from simulator.community.members import Member, Roster
from simulator.community.places import Community
from simulator.rand import stable_key

WEEKDAY_HOURS = (0.2, 0.1, 0.05, 0.05, 0.05, 0.1, 0.4, 0.9, 1.1, 0.9, 0.8, 0.9,
                 1.3, 1.1, 0.8, 0.8, 0.9, 1.1, 1.4, 1.8, 2.1, 2.0, 1.4, 0.6)
WEEKEND_HOURS = (0.4, 0.25, 0.1, 0.05, 0.05, 0.05, 0.1, 0.3, 0.6, 1.0, 1.3, 1.5,
                 1.5, 1.4, 1.3, 1.3, 1.4, 1.5, 1.6, 1.8, 2.0, 1.9, 1.4, 0.8)
DAY_FACTOR = (0.95, 1.0, 1.0, 1.0, 0.9, 1.25, 1.15)  # Monday .. Sunday
GAP_MS = SESSION_GAP_S * 1000
ACTIONS = ("read", "like", "comment", "post", "share", "recommend", "follow", "unfollow")
ACTION_WEIGHTS = (0.36, 0.24, 0.12, 0.06, 0.05, 0.10, 0.05, 0.02)


def poisson(rng: random.Random, lam: float) -> int:
    """Knuth's product method; a rounded normal above 50 (where exp(-lam) loses precision)."""
    if lam > 50:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


class MemberSim:
    """Generates one member's sessions over the window; membership changes carry across sessions."""

    def __init__(self, seed: int, member: Member, communities: list[Community], roster: Roster,
                 start_ms: int, end_ms: int, out: list[tuple[int, dict]]) -> None:
        self.seed, self.m, self.out = seed, member, out
        self.communities = {c.community_id: c for c in communities}
        self.roster = roster
        self.start_ms, self.end_ms = start_ms, end_ms
        self.memberships = list(member.communities)
        self.identified = False
        self.sessions: list[tuple[int, int]] = []

    def candidate_starts(self) -> list[tuple[int, random.Random]]:
        """Session start candidates per local day of the home time zone, with that day's stream."""
        tz = zone(self.m.home.tz)
        day = datetime.fromtimestamp(self.start_ms / 1000, tz).date()
        last = datetime.fromtimestamp(self.end_ms / 1000, tz).date()
        out = []
        while day <= last:
            rng = random.Random(stable_key(self.seed, "sessions", self.m.user_id, day.isoformat()))
            midnight = int(datetime(day.year, day.month, day.day, tzinfo=tz).timestamp() * 1000)
            weekend = day.weekday() >= 5
            weights = WEEKEND_HOURS if weekend else WEEKDAY_HOURS
            for _ in range(poisson(rng, self.m.rate * DAY_FACTOR[day.weekday()])):
                hour = rng.choices(range(24), weights=weights)[0]
                out.append((midnight + hour * 3_600_000 + rng.randrange(3_600_000), rng))
            day += timedelta(days=1)
        return sorted(out, key=lambda x: x[0])

    def run(self) -> None:
        m = self.m
        cands = self.candidate_starts()
        if m.registers_in_window:
            reg_rng = random.Random(stable_key(self.seed, "register", m.user_id))
            cands = [(m.joined_ms, reg_rng)] + [c for c in cands if c[0] > m.joined_ms]
        prev_end = -GAP_MS * 10
        for t0, rng in cands:
            if t0 < max(self.start_ms, m.joined_ms) or (m.churn_ms is not None and t0 >= m.churn_ms):
                continue
            if t0 <= prev_end + GAP_MS:
                t0 = prev_end + GAP_MS + 60_000 + rng.randrange(20 * 60_000)
            if t0 >= self.end_ms:
                break
            local: list[tuple[int, dict]] = []
            memberships, identified = list(self.memberships), self.identified
            end = self.session(t0, rng, local)
            if end >= self.end_ms:  # would run past the window: undo and stop
                self.memberships, self.identified = memberships, identified
                break
            self.out.extend(local)
            self.sessions.append((t0, end))
            prev_end = end

    def session(self, t0: int, rng: random.Random, out: list[tuple[int, dict]]) -> int:
        m = self.m
        place = m.place_at(t0)
        em = Emitter(self.seed, f"{m.user_id}:{t0}", rng, user_id=m.user_id, anonymous_id=None, place=place,
                     tz=place.tz, ip=m.ip_at(t0), user_agent=m.user_agent, out=out)
        em.session_id = short_id("ses_", self.seed, m.user_id, t0)
        registering = m.registers_in_window and t0 == m.joined_ms
        t = t0
        if registering or not self.identified:
            em.emit(t, "identify", None, {"registration_country": m.home.country,
                                          "registration_city": m.home.city,
                                          "joined_at": datetime.fromtimestamp(m.joined_ms / 1000,
                                                                              zone("UTC")).isoformat()})
            self.identified = True
            t += rng.randint(150, 900)
        self.page(em, t, "/welcome" if registering else "/", "Welcome" if registering else "Home", None)
        t += rng.randint(4_000, 40_000)
        for c in self.targets(rng, registering):
            t = self.visit(em, t, c, rng, registering)
        return em.last_ms

    def targets(self, rng: random.Random, registering: bool) -> list[Community]:
        n = 1 + (rng.random() < 0.35) + registering
        out: list[Community] = []
        for _ in range(n):
            if self.memberships and not registering and rng.random() < 0.8:
                c = self.communities[rng.choice(self.memberships)]
            else:
                pool = list(self.communities.values())
                c = rng.choices(pool, weights=[x.popularity for x in pool])[0]
            if c not in out:
                out.append(c)
        return out

    def page(self, em: Emitter, t: int, path: str, title: str, community_id: str | None) -> None:
        em.page(t, path, title, community_id)
        for k in range(em.rng.choice((1, 1, 2, 3))):
            backend.api_call(em, t + 40 + 90 * k + em.rng.randrange(60), "GET",
                             "/api" + (path if path != "/" else "/feed"), self.end_ms)
        if em.rng.random() < 0.01:
            backend.frontend_error(em, t + em.rng.randint(500, 5000), path, self.end_ms)

    def visit(self, em: Emitter, t: int, c: Community, rng: random.Random, registering: bool) -> int:
        """Open community `c`: geo check, view, maybe join, actions and heartbeats; returns the cursor."""
        m, cid = self.m, c.community_id
        place = em.place
        blocked = c.rules.blocks(place)
        bypass = blocked and rng.random() < 0.04
        em.track(t, "geo_access_attempt", {"community_id": cid, "location": place.location(),
                                           "access_result": "blocked" if blocked and not bypass else "allowed",
                                           "is_traveler": place.country != m.home.country, "is_bypass": bypass})
        t += rng.randint(200, 1500)
        if blocked and not bypass:
            return t + rng.randint(2_000, 15_000)
        self.page(em, t, f"/c/{c.slug}", c.name, cid)
        activity = {"community_id": cid, "activity_type": "view", "metadata": {}}
        em.track(t + rng.randint(100, 900), "community_activity", activity)
        if cid not in self.memberships and rng.random() < (0.7 if registering else 0.1):
            t += rng.randint(3_000, 30_000)
            em.track(t, "community_activity", {"community_id": cid, "activity_type": "join", "metadata": {}})
            self.memberships.append(cid)
        stay = int(min(50.0, math.exp(rng.gauss(math.log(6), 0.8))) * 60_000)
        leave_at = t + max(stay, 20_000)
        times = sorted(t + rng.randrange(leave_at - t) for _ in range(poisson(rng, 1 + stay / 150_000)))
        for at in times:
            self.action(em, at, c, rng)
        hb = t + rng.randint(57_000, 63_000)
        while hb < leave_at:
            em.track(hb, "community_activity", {"community_id": cid, "activity_type": "heartbeat", "metadata": {}})
            hb += rng.randint(57_000, 63_000)
        if cid in self.memberships and rng.random() < 0.03:
            em.track(leave_at, "community_activity", {"community_id": cid, "activity_type": "leave", "metadata": {}})
            self.memberships.remove(cid)
        return leave_at + rng.randint(3_000, 30_000)

    def action(self, em: Emitter, at: int, c: Community, rng: random.Random) -> None:
        cid = c.community_id
        kind = rng.choices(ACTIONS, weights=ACTION_WEIGHTS)[0]
        post_id = short_id("p_", self.seed, cid, rng.randrange(5000))
        other = rng.choice(self.roster.ids_at(at))
        if kind == "read":
            self.page(em, at, f"/c/{c.slug}/posts/{post_id}", f"{c.name} post", cid)
        elif kind in ("like", "comment", "share") or (kind == "post" and cid in self.memberships):
            meta = {"post_id": post_id} if kind == "post" else {"post_id": post_id, "target_user_id": other}
            em.track(at, "community_activity", {"community_id": cid, "activity_type": kind, "metadata": meta})
            method, path = ("POST", f"/api/c/{c.slug}/posts") if kind == "post" else \
                ("POST", f"/api/posts/{post_id}/{kind}")
            backend.api_call(em, at + rng.randint(30, 300), method, path, self.end_ms)
        elif kind == "recommend":
            item = f"post:{post_id}"
            em.track(at, "recommendation_shown", {"item_id": item, "community_id": cid})
            if rng.random() < 0.3:
                em.track(at + rng.randint(2_000, 20_000), "recommendation_clicked", {"item_id": item,
                                                                                    "community_id": cid})
        elif kind in ("follow", "unfollow") and other != self.m.user_id:
            em.track(at, kind, {"target_user_id": other})
