"""Every line the community simulator writes follows the community event contract (issue 10)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from simulator.community import write_files
from simulator.community.contract import (
    ACTIVITY_TYPES,
    CONTEXT_KEYS,
    ENVELOPE_KEYS,
    ERROR_LEVELS,
    IDENTIFY_TRAITS,
    LOCATION_KEYS,
    METRIC_TYPES,
    PAGE_PROPERTIES,
    PROPERTIES,
    TRACK_EVENTS,
    TYPES,
)
from simulator.community.places import PLACES, GeoRules, Place

START, END = "2026-11-16T00:00:00Z", "2026-11-19T00:00:00Z"


def lines(landing: Path) -> list[str]:
    return [line for f in sorted((landing / "events").rglob("*.ndjson")) for line in f.read_text().splitlines()]


@pytest.fixture(scope="module")
def landing(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("community")
    write_files(out, START, END, seed=7, members=80)
    return out


@pytest.fixture(scope="module")
def events(landing) -> list[dict]:
    return [json.loads(line) for line in lines(landing)]


def _aware(text: str) -> datetime:
    dt = datetime.fromisoformat(text)
    assert dt.tzinfo is not None, text
    return dt


def test_layout_is_hourly_files_under_the_day_of_delivery(landing):
    files = sorted((landing / "events").rglob("*.ndjson"))
    assert len(files) == 72
    assert [f.parent.name for f in files[:2]] == ["2026-11-16", "2026-11-16"]
    assert [f.name for f in files[:2]] == ["000000-000001.ndjson", "010000-000002.ndjson"]
    for f in files:
        hour = f"{f.parent.name}T{f.name[:2]}"
        assert all(json.loads(line)["received_at"].startswith(hour) for line in f.read_text().splitlines())


def test_envelope_and_properties_follow_the_contract(events):
    for ev in events:
        assert set(ENVELOPE_KEYS) <= set(ev), ev
        assert isinstance(ev["message_id"], str) and ev["type"] in TYPES
        assert (ev["user_id"] is None) != (ev["anonymous_id"] is None)
        for key in ("timestamp", "sent_at", "received_at"):
            _aware(ev[key])
        assert _aware(ev["received_at"]).utcoffset().total_seconds() == 0
        ctx = ev["context"]
        assert set(CONTEXT_KEYS) <= set(ctx) and set(ctx["location"]) == set(LOCATION_KEYS)
        assert all(isinstance(ctx[k], str) for k in ("ip", "user_agent", "timezone"))
        if ev["type"] == "track":
            assert ev["event"] in TRACK_EVENTS
            assert set(PROPERTIES[ev["event"]]) <= set(ev["properties"]), ev
        elif ev["type"] == "page":
            assert ev["event"] is None and set(ev["properties"]) == set(PAGE_PROPERTIES)
        else:
            assert ev["event"] is None and set(ev["traits"]) == set(IDENTIFY_TRAITS)
            _aware(ev["traits"]["joined_at"])
    assert len({ev["message_id"] for ev in events}) == len(events)


def test_property_values_have_the_contract_types(events):
    names = {ev["event"] for ev in events}
    assert names == TRACK_EVENTS | {None}  # every event kind occurs in three days
    for ev in events:
        p = ev.get("properties", {})
        match ev["event"]:
            case "community_activity":
                assert p["activity_type"] in ACTIVITY_TYPES and isinstance(p["metadata"], dict)
            case "geo_access_attempt":
                assert p["access_result"] in ("allowed", "blocked") and set(p["location"]) == set(LOCATION_KEYS)
                assert isinstance(p["is_traveler"], bool) and isinstance(p["is_bypass"], bool)
            case "api_request":
                assert isinstance(p["status"], int) and isinstance(p["response_time_ms"], int | float)
            case "system_metric":
                assert p["metric_type"] in METRIC_TYPES and isinstance(p["value"], int | float)
            case "error_log":
                assert p["level"] in ERROR_LEVELS and isinstance(p["extra_data"], dict)
    activities = {ev["properties"]["activity_type"] for ev in events if ev["event"] == "community_activity"}
    assert activities == set(ACTIVITY_TYPES)


def test_communities_reference_and_geo_attempts_agree_with_the_rules(landing, events):
    ref = json.loads((landing / "reference" / "communities.json").read_text())
    assert len(ref) == 4 and sum(any(c["geo_rules"].values()) for c in ref) == 2
    rules = {c["community_id"]: GeoRules(**{k: tuple(v) for k, v in c["geo_rules"].items()}) for c in ref}
    places = {(p.country, p.region, p.city): p for p in PLACES}
    home = {ev["user_id"]: ev["traits"]["registration_country"] for ev in events if ev["type"] == "identify"}
    seen = {"blocked": 0, "traveler": 0, "bypass": 0}
    for ev in (e for e in events if e["event"] == "geo_access_attempt"):
        p = ev["properties"]
        loc = p["location"]
        place: Place = places[(loc["country"], loc["region"], loc["city"])]
        blocked_by_rule = rules[p["community_id"]].blocks(place)
        assert p["access_result"] == ("blocked" if blocked_by_rule and not p["is_bypass"] else "allowed")
        assert not p["is_bypass"] or blocked_by_rule
        assert p["is_traveler"] == (loc["country"] != home[ev["user_id"]])
        assert loc == ev["context"]["location"]
        seen["blocked"] += p["access_result"] == "blocked"
        seen["traveler"] += p["is_traveler"]
        seen["bypass"] += p["is_bypass"]
    assert seen["blocked"] > 0 and seen["traveler"] > 0


def test_errors_are_resolved_after_they_happen(events):
    logged = {ev["properties"]["error_id"]: _aware(ev["timestamp"]) for ev in events if ev["event"] == "error_log"}
    resolved = [ev for ev in events if ev["event"] == "error_resolved"]
    assert resolved and len(resolved) < len(logged)
    assert all(_aware(ev["timestamp"]) > logged[ev["properties"]["error_id"]] for ev in resolved)


def test_system_metrics_every_five_minutes(events):
    ticks = sorted({ev["timestamp"] for ev in events if ev["event"] == "system_metric"})
    assert len(ticks) == 3 * 288
    assert all(datetime.fromisoformat(t).minute % 5 == 0 for t in ticks)
