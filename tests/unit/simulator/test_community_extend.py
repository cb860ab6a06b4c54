"""A demo's landing zone grows day by day: what one day wrote never changes on the next.

`extend_files` called on consecutive days must write exactly what one call over the
whole span writes, never rewrite a file, and leave nothing held back that a later
call would then drop (a session crossing midnight is whole in the files).
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from simulator.clock import as_utc
from simulator.community import extend_files, generate
from simulator.community.envelope import to_ms
from simulator.community.landing import LOOKAHEAD_MS

START = "2026-11-01T00:00:00Z"
DAYS = ["2026-11-03T00:00:00Z", "2026-11-04T00:00:00Z", "2026-11-05T00:00:00Z"]


def snapshot(landing) -> dict[str, bytes]:
    return {p.relative_to(landing).as_posix(): p.read_bytes() for p in (landing / "events").rglob("*") if p.is_file()}


def test_day_by_day_equals_one_call_and_never_rewrites_a_file(tmp_path):
    daily, once = tmp_path / "daily", tmp_path / "once"
    seen: dict[str, bytes] = {}
    for end in DAYS:
        added = extend_files(daily, START, end, seed=5, members=40)
        now = snapshot(daily)
        assert {k: now[k] for k in seen} == seen, "a file written earlier changed"
        assert set(now) - set(seen) == set(added.files)
        seen = now
    extend_files(once, START, DAYS[-1], seed=5, members=40)
    assert snapshot(once) == seen
    # the same day again adds nothing
    assert extend_files(daily, START, DAYS[-1], seed=5, members=40).files == ()


def test_the_files_hold_every_delivery_before_the_end_once(tmp_path):
    extend_files(tmp_path, START, DAYS[0], seed=5, members=40)
    extend_files(tmp_path, START, DAYS[1], seed=5, members=40)
    landed = [json.loads(line) for p in sorted((tmp_path / "events").rglob("*.ndjson"))
              for line in p.read_text().splitlines()]
    ids = [e["message_id"] for e in landed]
    assert len(ids) == len(set(ids))
    end = as_utc(DAYS[1])
    end_ms = to_ms(end)
    gen = generate(START, end + timedelta(milliseconds=LOOKAHEAD_MS), seed=5, members=40)
    expected = {e["message_id"] for recv, e in gen.deliveries if recv < end_ms}
    assert set(ids) == expected
    # sessions that crossed the first day's end are whole: their later events came on day two
    assert max(e["received_at"] for e in landed) < DAYS[1].replace("Z", "")


def test_another_seed_in_the_same_folder_is_refused(tmp_path):
    extend_files(tmp_path, START, DAYS[0], seed=5, members=40)
    with pytest.raises(ValueError, match="same settings"):
        extend_files(tmp_path, START, DAYS[1], seed=6, members=40)
