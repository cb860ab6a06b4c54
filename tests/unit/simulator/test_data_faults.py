"""Data-fault mutators on each platform's real envelopes (pure functions of the body)."""

from __future__ import annotations

import pytest

from simulator.faults import UNKNOWN_FIELD, FaultConfig, FaultState


def mutate(platform: str, key: str, body, value=True):
    return FaultState(FaultConfig.parse({platform: {key: value}})).mutate_body(platform, "endpoint", body)


def x_timeline():
    return {"data": [{"id": str(i), "created_at": f"2026-11-{i:02d}T10:00:00.000Z",
                      "public_metrics": {"like_count": 10 * i, "impression_count": 1000 * i}} for i in range(1, 11)],
            "meta": {"result_count": 10}}


def analytics_rows():
    return {"columnHeaders": [{"name": "day", "columnType": "DIMENSION"}, {"name": "views", "columnType": "METRIC"}],
            "rows": [[f"2026-11-{d:02d}", 100 + d] for d in range(1, 21)]}


def test_every_issue_fault_key_is_accepted():
    keys = ["negative_counters", "missing_required_fields", "duplicated_pages", "unknown_field",
            "counts_as_strings", "future_timestamps", "row_drop_90", "stale_data"]
    assert set(FaultConfig.parse({"x": dict.fromkeys(keys, True)}).for_platform("x").data) == set(keys)


def test_negative_counters_hit_the_first_record_only_nested_and_in_analytics_rows():
    body = mutate("x", "negative_counters", x_timeline())
    assert body["data"][0]["public_metrics"] == {"like_count": -11, "impression_count": -1001}
    assert body["data"][1]["public_metrics"]["like_count"] == 20
    assert body["data"][0]["id"] == "1"  # ids are never counters
    assert mutate("youtube", "negative_counters", analytics_rows())["rows"][0] == ["2026-11-01", -102]


def test_counts_as_strings_use_suffixes():
    body = mutate("youtube", "counts_as_strings", {"items": [{"statistics": {"viewCount": "3400"}}]})
    assert body["items"][0]["statistics"]["viewCount"] == "3.4K"


def test_missing_required_field_and_unknown_field():
    first = mutate("x", "missing_required_fields", x_timeline())["data"][0]
    assert "created_at" not in first and "id" in first
    assert all(UNKNOWN_FIELD in r for r in mutate("x", "unknown_field", x_timeline())["data"])


def test_future_timestamps_shift_iso_and_epoch_values_a_year():
    assert mutate("x", "future_timestamps", x_timeline())["data"][0]["created_at"].startswith("2027-11-01")
    posts = {"elements": [{"id": "urn:li:share:1", "publishedAt": 1787153206000}]}
    assert mutate("linkedin", "future_timestamps", posts)["elements"][0]["publishedAt"] == 1787153206000 + 365 * 86400000


@pytest.mark.parametrize(("key", "expected"), [("duplicated_pages", 20), ("row_drop_90", 1)])
def test_list_sizes(key, expected):
    assert len(mutate("x", key, x_timeline())["data"]) == expected


def test_stale_data_drops_the_newest_days_in_nested_lists():
    body = {"data": [{"name": "page_views", "values": [{"value": 1, "end_time": f"2026-11-{d:02d}T08:00:00+0000"}
                                                       for d in range(1, 21)]}]}
    values = mutate("facebook", "stale_data", body, 7)["data"][0]["values"]
    assert values[-1]["end_time"].startswith("2026-11-13") and len(values) == 13
    assert mutate("youtube", "stale_data", analytics_rows(), 5)["rows"][-1][0] == "2026-11-15"


def test_other_platforms_and_no_faults_are_untouched():
    body = x_timeline()
    assert FaultState(FaultConfig.parse({"youtube": {"negative_counters": True}})).mutate_body("x", "e", body) == x_timeline()
