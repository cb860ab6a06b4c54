"""What the community marts must show for a generated landing zone.

Computed from the delivered events themselves (so every fault is accounted for),
with the same rules ingestion and dbt are expected to apply:
- a line that is not a JSON object is excluded (malformed);
- events are deduplicated by `message_id` (the first delivery wins; copies differ
  only in `received_at`);
- track events whose name is not in the contract are excluded (unknown events);
- day = the UTC date of `timestamp` (the client's time, offsets honoured; a skewed
  clock moves the event, a late delivery does not).

Per community x day (`community_days[(community_id, day)]`), over events whose
`properties.community_id` is that community (page, community_activity,
geo_access_attempt, recommendation_*):
- active_members: distinct non-null `user_id` over those events (any type, a
  blocked geo attempt included; anonymous page views are not members);
- new_members: distinct members whose earliest `join` in that community (over
  all the data) falls on that day;
- page_views: `page` events (members and anonymous visitors);
- joins: community_activity with activity_type `join`;
- geo_attempts / geo_blocked / geo_allowed: geo_access_attempt events, all / with
  access_result blocked / allowed; traveler_attempts: with is_traveler true;
  geo_bypasses: with is_bypass true.
Rows exist only where at least one of those events occurred.
Per day (`days[day]`): api_requests (api_request events), mean_response_ms (their
mean response_time_ms, None without requests), errors (error_log events),
errors_resolved (error_resolved events).
Per member x day (`member_page_views[(user_id, day)]`): `page` events with that
user_id (any community or none); only non-zero entries.
The member, hourly and retention marts' truth comes from `truth_rollups` (its rules there):
`member_days[(user_id, day)]`, `community_hours[(community_id, utc hour iso)]`,
`cohorts[(community_id, cohort monday, weeks_since_join)]`, `stickiness[(community_id, day)]`
= (dau, wau, mau).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

from simulator.community.contract import TRACK_EVENTS
from simulator.community.truth_rollups import CohortWeek, CommunityHour, MemberDay, Rollups


@dataclass(frozen=True)
class CommunityDay:
    active_members: int = 0
    new_members: int = 0
    page_views: int = 0
    joins: int = 0
    geo_attempts: int = 0
    geo_blocked: int = 0
    geo_allowed: int = 0
    traveler_attempts: int = 0
    geo_bypasses: int = 0


@dataclass(frozen=True)
class Day:
    api_requests: int = 0
    mean_response_ms: float | None = None
    errors: int = 0
    errors_resolved: int = 0


@dataclass(frozen=True)
class Truth:
    community_days: dict[tuple[str, str], CommunityDay] = field(default_factory=dict)
    days: dict[str, Day] = field(default_factory=dict)
    member_page_views: dict[tuple[str, str], int] = field(default_factory=dict)
    member_days: dict[tuple[str, str], MemberDay] = field(default_factory=dict)
    community_hours: dict[tuple[str, str], CommunityHour] = field(default_factory=dict)
    cohorts: dict[tuple[str, str, int], CohortWeek] = field(default_factory=dict)
    stickiness: dict[tuple[str, str], tuple[int, int, int]] = field(default_factory=dict)

    @classmethod
    def from_lines(cls, lines: Iterable[str]) -> Truth:
        """From raw NDJSON lines in delivery order (malformed lines are skipped)."""
        def parsed():
            for line in lines:
                try:
                    value = json.loads(line)
                except json.JSONDecodeError:
                    continue
                yield value
        return cls.from_events(parsed())

    @classmethod
    def from_events(cls, events: Iterable[object]) -> Truth:
        """From decoded events in delivery order; non-objects are skipped."""
        seen: set[str] = set()
        counts: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
        active: dict[tuple[str, str], set[str]] = defaultdict(set)
        first_join: dict[tuple[str, str], tuple[str, str]] = {}  # (community, user) -> (utc iso, day)
        api: dict[str, list[float]] = defaultdict(list)
        errors: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        member_pv: dict[tuple[str, str], int] = defaultdict(int)
        rollups = Rollups()
        for ev in events:
            if not isinstance(ev, dict) or ev.get("message_id") in seen:
                continue
            if ev.get("type") == "track" and ev.get("event") not in TRACK_EVENTS:
                continue
            seen.add(ev["message_id"])
            utc = datetime.fromisoformat(ev["timestamp"]).astimezone(UTC)
            day = utc.date().isoformat()
            rollups.add(ev, utc, day)
            props = ev.get("properties") or {}
            name, user = ev.get("event"), ev.get("user_id")
            if ev["type"] == "page" and user is not None:
                member_pv[(user, day)] += 1
            if name == "api_request":
                api[day].append(float(props["response_time_ms"]))
            elif name == "error_log":
                errors[day][0] += 1
            elif name == "error_resolved":
                errors[day][1] += 1
            cid = props.get("community_id") if ev["type"] != "identify" else None
            if cid is None:
                continue
            key = (cid, day)
            c = counts[key]
            if user is not None:
                active[key].add(user)
            if ev["type"] == "page":
                c["page_views"] += 1
            elif name == "community_activity" and props.get("activity_type") == "join":
                c["joins"] += 1
                stamp = utc.isoformat()
                if user is not None and ((cid, user) not in first_join or stamp < first_join[(cid, user)][0]):
                    first_join[(cid, user)] = (stamp, day)
            elif name == "geo_access_attempt":
                c["geo_attempts"] += 1
                c["geo_blocked" if props["access_result"] == "blocked" else "geo_allowed"] += 1
                c["traveler_attempts"] += bool(props["is_traveler"])
                c["geo_bypasses"] += bool(props["is_bypass"])
        for (cid, _user), (_stamp, day) in first_join.items():
            counts[(cid, day)]["new_members"] += 1
        community_days = {key: CommunityDay(active_members=len(active[key]), **c) for key, c in sorted(counts.items())}
        days = {}
        for day in sorted(set(api) | set(errors)):
            rts = api.get(day, [])
            days[day] = Day(api_requests=len(rts), mean_response_ms=sum(rts) / len(rts) if rts else None,
                            errors=errors[day][0] if day in errors else 0,
                            errors_resolved=errors[day][1] if day in errors else 0)
        return cls(community_days, days, dict(sorted(member_pv.items())), rollups.member_days(),
                   rollups.community_hours(), rollups.cohorts(), rollups.stickiness())

    def to_dict(self) -> dict:
        """JSON-friendly: lists of rows with their keys spelled out."""
        return {
            "community_days": [{"community_id": c, "day": d, **asdict(v)} for (c, d), v in self.community_days.items()],
            "days": [{"day": d, **asdict(v)} for d, v in self.days.items()],
            "member_page_views": [{"user_id": u, "day": d, "page_views": n}
                                  for (u, d), n in self.member_page_views.items()],
            "member_days": [{"user_id": u, "day": d, **asdict(v)} for (u, d), v in self.member_days.items()],
            "community_hours": [{"community_id": c, "hour_start": h, "online": list(v.online),
                                 "activities": v.activities} for (c, h), v in self.community_hours.items()],
            "cohorts": [{"community_id": c, "cohort_week": w, "weeks_since_join": k, **asdict(v)}
                        for (c, w, k), v in self.cohorts.items()],
            "stickiness": [{"community_id": c, "day": d, "dau": v[0], "wau": v[1], "mau": v[2]}
                           for (c, d), v in self.stickiness.items()],
        }
