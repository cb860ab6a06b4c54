"""Truth for the member, hourly-activity and retention marts, recounted from the kept events.

Input: the events `Truth.from_events` keeps (first delivery of each message_id, known names), each
with its UTC time. The rules are the ones docs/metrics.md states for the marts:
- presence: a member is online at instant t in a community while a community_activity of theirs in
  it has t - 300 s < event <= t. Sample points are the UTC instants on a 5-minute grid, so an event
  is seen at exactly one sample point: its time rounded up to the grid;
- active in a community on a day: any event of the member naming the community (page,
  community_activity, geo_access_attempt, recommendation_*);
- travel_detected: a located event that day in a country other than the registration country of the
  member's latest identify; None when either is unknown;
- sessions: the member's page views and user-side track events, split by gaps of more than 30 min.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from simulator.community.contract import PRESENCE_S, SESSION_GAP_S

SESSION_EVENTS = {"community_activity", "geo_access_attempt", "follow", "unfollow", "recommendation_shown",
                  "recommendation_clicked"}
ACTIONS = {"follow", "unfollow", "recommendation_clicked"}  # besides non-heartbeat community_activity
INTERACTIONS = ("post", "comment", "like", "share")


@dataclass(frozen=True)
class MemberDay:
    page_views: int = 0
    actions_performed: int = 0
    communities_viewed: int = 0
    communities_joined: int = 0
    community_online_time_s: int = 0
    community_interactions: int = 0
    geo_access_attempts: int = 0
    geo_restricted_attempts: int = 0
    locations: tuple[tuple[str, str, str], ...] = ()
    travel_detected: bool | None = None
    posts: int = 0
    comments: int = 0
    shares: int = 0
    likes_given: int = 0
    likes_received: int = 0
    followers_gained: int = 0
    followers_lost: int = 0
    sessions: int = 0
    time_spent_s: float = 0.0
    recommendations_shown: int = 0
    recommendations_clicked: int = 0


@dataclass(frozen=True)
class CommunityHour:
    online: tuple[int, ...] = (0,) * 12          # members online at :00, :05, ... :55
    activities: dict[str, int] = field(default_factory=dict)  # community_activity by type (heartbeat too)

    @property
    def total_activities(self) -> int:
        return sum(n for kind, n in self.activities.items() if kind != "heartbeat")


@dataclass(frozen=True)
class CohortWeek:
    cohort_size: int
    retained_members: int
    rolling_retained_members: int


def sample_point(utc: datetime) -> datetime:
    """The one 5-minute grid instant at which an event is seen: its time rounded up to the grid."""
    epoch = utc.timestamp()
    return datetime.fromtimestamp(math.ceil(epoch / PRESENCE_S) * PRESENCE_S, UTC)


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


class Rollups:
    """Collects the kept events once, then states each rollup."""

    def __init__(self) -> None:
        self.md: dict[tuple[str, str], dict] = defaultdict(lambda: defaultdict(int))
        self.sets: dict[tuple[str, str], dict[str, set]] = defaultdict(lambda: defaultdict(set))
        self.countries: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.registration: dict[str, tuple[datetime, str | None]] = {}
        self.session_times: dict[str, list[datetime]] = defaultdict(list)
        self.online: dict[tuple[str, datetime], set[str]] = defaultdict(set)       # (community, sample)
        self.member_samples: dict[str, set[datetime]] = defaultdict(set)
        self.hour_counts: dict[tuple[str, datetime], dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.active_days: dict[tuple[str, str], set[date]] = defaultdict(set)     # (community, user)
        self.first_join: dict[tuple[str, str], datetime] = {}

    def add(self, ev: dict, utc: datetime, day: str) -> None:
        user, name, kind = ev.get("user_id"), ev.get("event"), ev["type"]
        props = ev.get("properties") or {}
        if kind == "identify":
            if user is not None and (user not in self.registration or utc >= self.registration[user][0]):
                self.registration[user] = (utc, (ev.get("traits") or {}).get("registration_country"))
            return
        cid = props.get("community_id")
        activity = props.get("activity_type") if name == "community_activity" else None
        target = props.get("target_user_id") if name in ("follow", "unfollow") else \
            (props.get("metadata") or {}).get("target_user_id") if activity == "like" else None
        if target is not None:
            key = "likes_received" if activity == "like" else "followers_gained" if name == "follow" \
                else "followers_lost"
            self.md[(target, day)][key] += 1
        if cid is not None and activity is not None:
            hour = utc.replace(minute=0, second=0, microsecond=0)
            self.hour_counts[(cid, hour)][activity] += 1
        if user is None:
            return
        row, sets = self.md[(user, day)], self.sets[(user, day)]
        row["_seen"] = 1
        loc = (ev.get("context") or {}).get("location") or {}
        if any(loc.get(k) is not None for k in ("country", "region", "city")):
            sets["locations"].add((loc.get("country"), loc.get("region"), loc.get("city")))
            if loc.get("country") is not None:
                self.countries[(user, day)].add(loc["country"])
        if kind == "page" or name in SESSION_EVENTS:
            self.session_times[user].append(utc)
        row["page_views"] += kind == "page"
        row["actions_performed"] += (activity is not None and activity != "heartbeat") or name in ACTIONS
        row["recommendations_shown"] += name == "recommendation_shown"
        row["recommendations_clicked"] += name == "recommendation_clicked"
        if name == "geo_access_attempt":
            row["geo_access_attempts"] += 1
            row["geo_restricted_attempts"] += props["access_result"] == "blocked"
        if cid is not None:
            self.active_days[(cid, user)].add(utc.date())
        if activity is None:
            return
        row["community_interactions"] += activity in INTERACTIONS
        for kind_, col in (("post", "posts"), ("comment", "comments"), ("share", "shares"), ("like", "likes_given")):
            row[col] += activity == kind_
        if activity in ("view", "join"):
            sets["viewed" if activity == "view" else "joined"].add(cid)
        if activity == "join" and ((cid, user) not in self.first_join or utc < self.first_join[(cid, user)]):
            self.first_join[(cid, user)] = utc
        sample = sample_point(utc)
        self.online[(cid, sample)].add(user)
        self.member_samples[user].add(sample)

    def _sessions(self) -> dict[tuple[str, str], list[float]]:
        out: dict[tuple[str, str], list[float]] = defaultdict(list)
        for user, times in self.session_times.items():
            times.sort()
            start = prev = times[0]
            for t in times[1:] + [None]:
                if t is None or (t - prev).total_seconds() > SESSION_GAP_S:
                    out[(user, start.date().isoformat())].append((prev - start).total_seconds())
                    start = t
                prev = t
        return out

    def member_days(self) -> dict[tuple[str, str], MemberDay]:
        for user, samples in self.member_samples.items():
            for sample in samples:
                self.md[(user, sample.date().isoformat())]["community_online_time_s"] += PRESENCE_S
        sessions = self._sessions()
        for key in sessions:
            self.md[key]  # noqa: B018 - a session day is a member day
        out = {}
        for (user, day), row in sorted(self.md.items()):
            sets = self.sets.get((user, day), {})
            registered = self.registration.get(user, (None, None))[1]
            countries = self.countries.get((user, day), set())
            durations = sessions.get((user, day), [])
            out[(user, day)] = MemberDay(
                **{k: v for k, v in row.items() if not k.startswith("_")},
                communities_viewed=len(sets.get("viewed", ())), communities_joined=len(sets.get("joined", ())),
                locations=tuple(sorted(sets.get("locations", ()), key=lambda x: tuple(p or "" for p in x))),
                travel_detected=None if registered is None or not countries else any(c != registered for c in countries),
                sessions=len(durations), time_spent_s=round(sum(durations), 3))
        return out

    def community_hours(self) -> dict[tuple[str, str], CommunityHour]:
        hours: dict[tuple[str, datetime], list[int]] = defaultdict(lambda: [0] * 12)
        for (cid, sample), users in self.online.items():
            hours[(cid, sample.replace(minute=0))][sample.minute // 5] = len(users)
        keys = sorted(set(hours) | set(self.hour_counts))
        return {(cid, h.isoformat()): CommunityHour(tuple(hours.get((cid, h), [0] * 12)),
                                                     dict(self.hour_counts.get((cid, h), {})))
                for cid, h in keys}

    def data_days(self) -> tuple[date, date] | None:
        days = [d for ds in self.active_days.values() for d in ds]
        return (min(days), max(days)) if days else None

    def cohorts(self) -> dict[tuple[str, str, int], CohortWeek]:
        extent = self.data_days()
        members: dict[tuple[str, date], list[set[date]]] = defaultdict(list)
        for (cid, user), joined in self.first_join.items():
            members[(cid, _monday(joined.date()))].append(self.active_days[(cid, user)])
        out = {}
        for (cid, week), actives in sorted(members.items()):
            k = 0
            while extent and week + timedelta(weeks=k) <= extent[1]:
                lo = week + timedelta(weeks=k)
                now = sum(any(lo <= d < lo + timedelta(days=7) for d in days) for days in actives)
                later = sum(any(d >= lo for d in days) for days in actives)
                out[(cid, week.isoformat(), k)] = CohortWeek(len(actives), now, later)
                k += 1
        return out

    def stickiness(self) -> dict[tuple[str, str], tuple[int, int, int]]:
        """(community, day) -> (dau, wau, mau) from the community's first active day to the data's last."""
        extent = self.data_days()
        by_community: dict[str, dict[str, set[date]]] = defaultdict(dict)
        for (cid, user), days in self.active_days.items():
            by_community[cid][user] = days
        out = {}
        for cid, users in sorted(by_community.items()):
            day = min(d for days in users.values() for d in days)
            while extent and day <= extent[1]:
                counts = tuple(sum(any(day - timedelta(days=n - 1) <= d <= day for d in days)
                                   for days in users.values()) for n in (1, 7, 30))
                out[(cid, day.isoformat())] = counts
                day += timedelta(days=1)
        return out
