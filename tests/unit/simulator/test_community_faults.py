"""Each community delivery fault does exactly what its key says, counted from the files."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from simulator.community import CommunityFaults, write_files
from simulator.community.contract import TRACK_EVENTS

START, END = "2026-11-16T00:00:00Z", "2026-11-20T00:00:00Z"
FAULTS = {"duplicates": 12, "late": 7, "late_days": 2, "clock_skew": 9, "skew_minutes": 20, "malformed": 6,
          "unknown_events": 5}


def read(landing: Path) -> list[tuple[int, str]]:
    """(file index, line) in delivery order."""
    files = sorted((landing / "events").rglob("*.ndjson"))
    return [(i, line) for i, f in enumerate(files) for line in f.read_text().splitlines()]


def parsed(rows):
    for i, line in rows:
        try:
            value = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(value, dict):
            yield i, value


def ts(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    out = tmp_path_factory.mktemp("clean")
    write_files(out, START, END, seed=3, members=60)
    return read(out)


@pytest.fixture(scope="module")
def faulty(tmp_path_factory):
    out = tmp_path_factory.mktemp("faulty")
    manifest = write_files(out, START, END, seed=3, members=60, faults=FAULTS)
    return manifest, read(out)


def test_clean_data_has_no_fault_symptoms(clean):
    evs = [ev for _, ev in parsed(clean)]
    assert len(evs) == len(clean) and len({e["message_id"] for e in evs}) == len(evs)
    lag = [(ts(e["received_at"]) - ts(e["timestamp"])).total_seconds() for e in evs]
    assert 0 < min(lag) and max(lag) < 5
    assert all(e["event"] in TRACK_EVENTS for e in evs if e["type"] == "track")


def test_duplicates_come_again_in_a_later_file(faulty):
    manifest, rows = faulty
    where: dict[str, list[int]] = {}
    for i, ev in parsed(rows):
        where.setdefault(ev["message_id"], []).append(i)
    dups = {mid: files for mid, files in where.items() if len(files) > 1}
    assert len(dups) == FAULTS["duplicates"] and set(dups) == set(manifest.faults.duplicates)
    assert all(len(files) == 2 and files[1] > files[0] for files in dups.values())


def test_late_events_keep_their_timestamp_and_arrive_days_later(faulty):
    manifest, rows = faulty
    late = [(i, ev) for i, ev in parsed(rows)
            if ts(ev["received_at"]) - ts(ev["timestamp"]) >= timedelta(days=FAULTS["late_days"])]
    assert len(late) == FAULTS["late"] and {ev["message_id"] for _, ev in late} == set(manifest.faults.late)
    start = ts(START.replace("Z", "+00:00"))
    for i, ev in late:  # in a file days after the hour it happened in (one file per hour from START)
        assert i >= (ts(ev["timestamp"]) - start) // timedelta(hours=1) + 24 * FAULTS["late_days"]


def test_clock_skew_shifts_timestamp_by_minutes_against_received_at(faulty):
    manifest, rows = faulty
    skewed = []
    for _, ev in parsed(rows):
        lag = (ts(ev["received_at"]) - ts(ev["timestamp"])).total_seconds()
        if 60 < abs(lag) <= FAULTS["skew_minutes"] * 60 + 5:
            skewed.append(ev)
    # duplicates arrive hours later, late events days later: neither is in the minutes band
    assert {ev["message_id"] for ev in skewed} == set(manifest.faults.clock_skew)
    assert len(skewed) == FAULTS["clock_skew"]


def test_malformed_lines_are_truncated_json_or_not_objects(faulty):
    manifest, rows = faulty
    bad = Counter()
    for _, line in rows:
        try:
            value = json.loads(line)
        except json.JSONDecodeError:
            bad["truncated"] += 1
            continue
        if not isinstance(value, dict):
            bad["not_object"] += 1
    assert bad == {"truncated": 3, "not_object": 3} and manifest.faults.malformed == FAULTS["malformed"]


def test_unknown_event_names(faulty):
    manifest, rows = faulty
    unknown = [ev for _, ev in parsed(rows) if ev["type"] == "track" and ev["event"] not in TRACK_EVENTS]
    assert len(unknown) == FAULTS["unknown_events"]
    assert {ev["message_id"] for ev in unknown} == set(manifest.faults.unknown_events)


def test_a_burst_hour_has_ten_times_the_traffic(tmp_path, clean):
    manifest = write_files(tmp_path, START, END, seed=3, members=60, faults={"burst": "2026-11-17T14:30:00Z"})
    assert manifest.faults.burst_hour == "2026-11-17T14:00:00.000+00:00"

    def traffic(rows, hour):
        return Counter(ev["type"] if ev["type"] == "page" else ev["event"] for _, ev in parsed(rows)
                       if (ev["type"] == "page" or ev["event"] == "api_request")
                       and ts(ev["timestamp"]).astimezone(UTC).strftime("%Y-%m-%dT%H") == hour)

    hour = "2026-11-17T14"
    base, burst = traffic(clean, hour), traffic(read(tmp_path), hour)
    assert base["page"] > 0 and burst == Counter({k: 10 * v for k, v in base.items()})
    other = "2026-11-17T15"
    assert traffic(clean, other) == traffic(read(tmp_path), other)


def test_fault_config_is_validated():
    assert CommunityFaults.parse(None) == CommunityFaults()
    assert CommunityFaults.parse('{"late": 3}').late == 3
    for bad in ('{"duplicate": 1}', '{"late": -1}', '{"late": true}', '[1]', '{"burst": 3}'):
        with pytest.raises(ValueError):
            CommunityFaults.parse(bad)
    with pytest.raises(ValueError):
        write_files(Path("/nonexistent-never-written"), START, END, seed=3, members=5,
                    faults={"burst": "2027-01-01T00:00:00Z"})
