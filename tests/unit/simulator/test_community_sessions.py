"""Member sessions: > 30 min apart, heartbeats only while a session is open, local-time rhythm."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from simulator.community import write_files

START, END = "2026-11-16T00:00:00Z", "2026-11-23T00:00:00Z"
GAP = timedelta(minutes=30)


@pytest.fixture(scope="module")
def sessions(tmp_path_factory) -> dict[str, dict[str, list[dict]]]:
    """user_id -> session_id -> events sorted by timestamp."""
    out = tmp_path_factory.mktemp("sessions")
    write_files(out, START, END, seed=5, members=120)
    by_user: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for f in sorted((out / "events").rglob("*.ndjson")):
        for line in f.read_text().splitlines():
            ev = json.loads(line)
            if ev["user_id"] is not None:
                ev["_t"] = datetime.fromisoformat(ev["timestamp"])
                by_user[ev["user_id"]][ev["context"]["session_id"]].append(ev)
    for user in by_user.values():
        for evs in user.values():
            evs.sort(key=lambda e: e["_t"])
    return by_user


def test_sessions_are_more_than_30_minutes_apart(sessions):
    n = 0
    for user in sessions.values():
        spans = sorted((evs[0]["_t"], evs[-1]["_t"]) for evs in user.values())
        for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
            assert start - end > GAP
        n += len(spans)
    assert n > 500


def test_a_30_minute_gap_rule_finds_exactly_the_sessions(sessions):
    for user in sessions.values():
        events = sorted((e for evs in user.values() for e in evs), key=lambda e: e["_t"])
        groups, current = [], [events[0]]
        for prev, ev in zip(events, events[1:], strict=False):
            if ev["_t"] - prev["_t"] > GAP:
                groups.append(current)
                current = []
            current.append(ev)
        groups.append(current)
        assert sorted({e["context"]["session_id"] for e in g}.pop() for g in groups) == sorted(user)
        assert all(len({e["context"]["session_id"] for e in g}) == 1 for g in groups)


def test_heartbeats_only_inside_open_sessions_every_minute(sessions):
    beats = 0
    for user in sessions.values():
        for evs in user.values():
            assert evs[0]["type"] in ("identify", "page")  # a session opens with identify/page, never a heartbeat
            last_real = max(e["_t"] for e in evs if e.get("properties", {}).get("activity_type") != "heartbeat")
            by_community = defaultdict(list)
            for e in evs:
                if e.get("properties", {}).get("activity_type") == "heartbeat":
                    assert evs[0]["_t"] < e["_t"] <= evs[-1]["_t"]
                    by_community[e["properties"]["community_id"]].append(e["_t"])
                    beats += 1
            for community, times in by_community.items():
                views = [x["_t"] for x in evs if x.get("properties", {}).get("activity_type") == "view"
                         and x["properties"]["community_id"] == community]
                assert views and min(views) < times[0]
                assert all(timedelta(seconds=56) <= b - a <= timedelta(seconds=64) for a, b in zip(times, times[1:], strict=False))
            assert last_real >= evs[0]["_t"]
    assert beats > 1000


def test_sessions_follow_the_members_local_evening_rhythm(sessions):
    hours = Counter()
    weekend = Counter()
    for user in sessions.values():
        for evs in user.values():
            first = evs[0]
            local = first["_t"].astimezone(ZoneInfo(first["context"]["timezone"]))
            hours[local.hour] += 1
            weekend[local.weekday() >= 5] += 1
    evening = sum(hours[h] for h in range(18, 23))
    night = sum(hours[h] for h in range(1, 6))
    assert evening > 8 * night
    assert weekend[True] / 2 > weekend[False] / 5  # weekend days are busier than weekdays
