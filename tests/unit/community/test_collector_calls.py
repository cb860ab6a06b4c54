"""Collector calls → envelope lines: seed 004's calls, Segment's shape, the rules, batches all or nothing."""

from __future__ import annotations

import orjson
import pytest

from ingestion.community.collector.calls import from_envelope, from_seed_call
from ingestion.community.collector.routes import ROUTES, Rejected, handle, route
from ingestion.community.collector.rules import Invalid, validate

NOW = "2026-11-20T12:00:00.000000+00:00"


def _accept(path: str, body) -> list[dict]:
    accepted = handle(route(path), orjson.dumps(body), NOW)
    return [orjson.loads(line) for line in accepted.data.splitlines()]


def test_seed_activity_call_becomes_a_track_event():
    [event] = _accept("/api/community-analytics/track/", {"community_id": 123, "user_id": 456, "activity_type": "join"})
    assert event["type"] == "track" and event["event"] == "community_activity"
    assert event["user_id"] == "456" and event["properties"] == {"community_id": "123", "activity_type": "join",
                                                                  "metadata": {}}
    assert event["received_at"] == event["timestamp"] == NOW and len(event["message_id"]) == 36


def test_seed_geo_call_takes_is_traveler_from_location_and_sets_the_context_place():
    [event] = _accept("/api/geo-analytics/track", {
        "community_id": "c1", "user_id": "u1", "access_result": "blocked",
        "location": {"country": "FR", "city": "Paris", "is_traveler": True}, "region_hint": "x"})
    assert event["properties"]["is_traveler"] is True
    assert event["properties"]["region_hint"] == "x"  # an extra field is kept, not dropped
    assert event["context"] == {"location": {"country": "FR", "city": "Paris"}}


def test_seed_error_call_gets_an_error_id_and_its_user():
    [event] = _accept("/api/errors/", {"level": "critical", "message": "boom", "user": 9, "message_id": "m1"})
    assert event["user_id"] == "9" and "user" not in event["properties"]
    assert event["properties"]["error_id"] == "m1"  # stable on redelivery: error_resolved can link to it


def test_seed_metric_needs_no_actor_but_a_member_event_does():
    assert _accept("/api/metrics", {"metric_type": "cpu_usage", "value": 3})[0]["properties"]["value"] == 3
    with pytest.raises(Rejected, match="user_id: missing"):
        _accept("/api/community-analytics/track/", {"community_id": 1, "activity_type": "view"})


def test_segment_camel_case_and_a_write_key_in_the_body():
    envelope = from_envelope({"userId": "u", "messageId": "m", "event": "x", "sentAt": "2026-11-20T11:00:00Z",
                              "receivedAt": "1999-01-01T00:00:00Z", "writeKey": "secret"}, NOW, "track")
    assert envelope == {"user_id": "u", "message_id": "m", "event": "x", "sent_at": "2026-11-20T11:00:00Z",
                        "received_at": NOW, "timestamp": NOW, "type": "track"}


@pytest.mark.parametrize(("body", "field", "words"), [
    ({"event": "system_metric", "properties": {"metric_type": "m", "value": True}}, "properties.value", "a number"),
    ({"event": "api_request", "properties": {"method": "GET", "path": "/", "status": 200.5}}, "properties.status",
     "an integer"),
    ({"event": "geo_access_attempt", "userId": "u", "properties": {"community_id": "c", "access_result": "allowed",
                                                                    "location": {"city": 5}}},
     "properties.location", "city must be a string"),
    ({"event": "x", "userId": "u", "properties": [1]}, "properties", "a JSON object"),
    ({"event": "x", "userId": True}, "user_id", "a non-empty string"),
    ({"event": "x", "userId": "u", "sent_at": "yesterday"}, "sent_at", "not an ISO-8601"),
    ({"event": "x", "userId": "u", "timestamp": "2026-11-22T12:00:01Z"}, "timestamp", "more than 1 day after"),
])
def test_rules_name_the_field(body, field, words):
    with pytest.raises(Invalid) as error:
        validate(from_envelope(body, NOW, "track"))
    assert error.value.field == field and words in str(error.value)


def test_an_unknown_event_name_is_accepted():
    line = validate(from_envelope({"event": "badge_awarded", "userId": "u", "properties": {"any": 1}}, NOW, "track"))
    assert orjson.loads(line)["event"] == "badge_awarded"


def test_a_batch_with_a_bad_item_is_refused_whole():
    good = {"type": "page", "userId": "u", "properties": {"path": "/"}}
    with pytest.raises(Rejected) as error:
        _accept("/v1/batch", {"batch": [good, {"type": "page"}, good, "nope"]})
    assert error.value.status == 400 and [item["index"] for item in error.value.items] == [1, 3]
    assert "nothing of this batch was stored" in error.value.error
    assert len(_accept("/v1/batch", {"batch": [good, good]})) == 2


def test_routes_accept_both_slash_forms_and_ignore_the_query():
    assert route("/api/metrics/") is route("/api/metrics") is ROUTES["/api/metrics"]
    assert route("/v1/batch?x=1") is ROUTES["/v1/batch"]
    assert route("/api/daily/") is None


def test_seed_call_cannot_choose_its_event():
    with pytest.raises(Invalid, match="always a system_metric"):
        from_seed_call("system_metric", {"event": "error_log", "metric_type": "m", "value": 1}, NOW)
