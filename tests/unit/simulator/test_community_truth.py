"""The community truth equals an independent recount from the written files (faults included)."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

import pytest

from simulator.community import Truth, truth, write_files

START, END = "2026-11-16T00:00:00Z", "2026-11-20T00:00:00Z"
FAULTS = {"duplicates": 25, "late": 10, "clock_skew": 15, "malformed": 8, "unknown_events": 6, "burst": True}
KNOWN = {"community_activity", "geo_access_attempt", "api_request", "system_metric", "error_log", "error_resolved",
         "follow", "unfollow", "recommendation_shown", "recommendation_clicked"}


def recount(landing: Path) -> dict:
    """Written from the truth's docstring only, reading the files as ingestion would."""
    events, seen = [], set()
    for f in sorted((landing / "events").rglob("*.ndjson")):
        for line in f.read_text().splitlines():
            try:
                ev = json.loads(line)
            except ValueError:
                continue
            if not isinstance(ev, dict) or ev["message_id"] in seen:
                continue
            if ev["type"] == "track" and ev["event"] not in KNOWN:
                continue
            seen.add(ev["message_id"])
            events.append(ev)
    cd = defaultdict(lambda: defaultdict(int))
    members = defaultdict(set)
    joins = {}
    days = defaultdict(lambda: {"rt": [], "errors": 0, "resolved": 0})
    pv = defaultdict(int)
    for ev in events:
        when = datetime.fromisoformat(ev["timestamp"]).astimezone(UTC)
        day = when.strftime("%Y-%m-%d")
        p = ev.get("properties", {})
        if ev["type"] == "page" and ev["user_id"]:
            pv[(ev["user_id"], day)] += 1
        if ev["event"] == "api_request":
            days[day]["rt"].append(p["response_time_ms"])
        if ev["event"] == "error_log":
            days[day]["errors"] += 1
        if ev["event"] == "error_resolved":
            days[day]["resolved"] += 1
        c = p.get("community_id")
        if not c:
            continue
        row = cd[(c, day)]
        if ev["user_id"]:
            members[(c, day)].add(ev["user_id"])
        row["page_views"] += ev["type"] == "page"
        if ev["event"] == "community_activity" and p["activity_type"] == "join":
            row["joins"] += 1
            if (c, ev["user_id"]) not in joins or when < joins[(c, ev["user_id"])]:
                joins[(c, ev["user_id"])] = when
        if ev["event"] == "geo_access_attempt":
            row["geo_attempts"] += 1
            row["geo_blocked"] += p["access_result"] == "blocked"
            row["geo_allowed"] += p["access_result"] == "allowed"
            row["traveler_attempts"] += p["is_traveler"]
            row["geo_bypasses"] += p["is_bypass"]
    for (c, _), when in joins.items():
        cd[(c, when.strftime("%Y-%m-%d"))]["new_members"] += 1
    return {
        "community_days": {k: {**{m: v for m, v in row.items() if v}, "active_members": len(members[k])}
                           for k, row in cd.items()},
        "days": {d: (len(v["rt"]), sum(v["rt"]) / len(v["rt"]) if v["rt"] else None, v["errors"], v["resolved"])
                 for d, v in days.items()},
        "member_page_views": dict(pv),
    }


def as_recount(t: Truth) -> dict:
    return {
        "community_days": {k: {m: v for m, v in vars(row).items() if v or m == "active_members"}
                           for k, row in t.community_days.items()},
        "days": {d: (v.api_requests, v.mean_response_ms, v.errors, v.errors_resolved) for d, v in t.days.items()},
        "member_page_views": t.member_page_views,
    }


@pytest.mark.parametrize("faults", [None, FAULTS], ids=["clean", "faults"])
def test_truth_equals_an_independent_recount(tmp_path, faults):
    manifest = write_files(tmp_path, START, END, seed=11, members=70, faults=faults)
    got, want = as_recount(manifest.truth), recount(tmp_path)
    assert got["community_days"] == want["community_days"]
    assert got["member_page_views"] == want["member_page_views"]
    assert got["days"].keys() == want["days"].keys()
    for day, (n, mean, errors, resolved) in want["days"].items():
        assert got["days"][day][0] == n and got["days"][day][2:] == (errors, resolved)
        assert got["days"][day][1] == pytest.approx(mean)
    assert truth(START, END, seed=11, members=70, faults=faults) == manifest.truth


def test_truth_from_lines_ignores_what_the_marts_must_ignore(tmp_path):
    manifest = write_files(tmp_path, START, END, seed=11, members=70, faults=FAULTS)
    lines = [line for f in sorted((tmp_path / "events").rglob("*.ndjson")) for line in f.read_text().splitlines()]
    assert Truth.from_lines(lines) == manifest.truth
    clean = truth(START, END, seed=11, members=70, faults={"late": 10, "clock_skew": 15})
    noisy = truth(START, END, seed=11, members=70,
                  faults={"late": 10, "clock_skew": 15, "duplicates": 25, "malformed": 8, "unknown_events": 6})
    assert clean == noisy  # duplicates, malformed lines and unknown names never change the numbers


def test_truth_has_every_kind_of_row(tmp_path):
    t = truth(START, END, seed=11, members=70)
    rows = list(t.community_days.values())
    assert {c for c, _ in t.community_days} == {"cm_001", "cm_002", "cm_003", "cm_004"}
    assert sum(r.geo_blocked for r in rows) > 0 and sum(r.traveler_attempts for r in rows) > 0
    assert sum(r.new_members for r in rows) > 0 and sum(r.joins for r in rows) >= sum(r.new_members for r in rows)
    assert all(r.geo_attempts == r.geo_blocked + r.geo_allowed for r in rows)
    assert sorted(t.days) == ["2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19"]
    assert all(d.api_requests > 0 and d.mean_response_ms > 0 for d in t.days.values())
    assert json.dumps(t.to_dict())  # JSON-friendly for other tools
