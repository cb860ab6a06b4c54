"""Community event lines: privacy reductions and the shape check, without a database."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import orjson
import pytest

import ingestion.community
from core.settings import ConfigError, load_settings
from ingestion.community.events import Malformed, parse_line
from ingestion.community.privacy import Privacy, reduce_user_agent
from ingestion.registry import connectors

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)
HASH = Privacy("hash", b"k" * 32)
TRUNC = Privacy("truncate")


@pytest.mark.parametrize(("ua", "device", "browser"), [
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "Version/17.1 Mobile/15E148 Safari/604.1", "mobile", "Safari"),
    ("Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 "
     "Mobile/15E148 Safari/604.1", "tablet", "Safari"),
    ("Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 "
     "Safari/537.36", "tablet", "Chrome"),
    ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile "
     "Safari/537.36", "mobile", "Chrome"),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 "
     "Safari/537.36 Edg/120.0.2210.91", "desktop", "Edge"),
    ("Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 OPR/106.0",
     "desktop", "Opera"),
    ("Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0", "desktop", "Firefox"),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 "
     "Safari/605.1.15", "desktop", "Safari"),
    ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "bot", "Other"),
    ("curl/8.4.0", "bot", "Other"),
    ("", "unknown", "Other"),
    (None, "unknown", "Other"),
])
def test_user_agent_reduced_to_device_and_browser(ua, device, browser):
    assert reduce_user_agent(ua) == {"device_class": device, "browser_family": browser}


def test_ip_hashing_is_keyed_and_canonical():
    digest = HASH.ip("203.0.113.7")
    assert len(digest) == 64 and "203" not in digest
    assert HASH.ip("2001:DB8::1") == HASH.ip("2001:db8:0::1")  # one address, one hash
    assert Privacy("hash", b"other-key").ip("203.0.113.7") != digest


def test_ip_truncation():
    assert TRUNC.ip("203.0.113.7") == "203.0.113.0/24"
    assert TRUNC.ip("2001:db8:85a3::8a2e:370:7334") == "2001:db8:85a3::/48"
    assert TRUNC.ip("::ffff:198.51.100.9") == "198.51.100.0/24"
    assert TRUNC.ip("not an ip") is None


def test_free_text_scrubbed():
    text = '{"ip": "198.51.100.23", "v6": "2001:db8::7", "user_agent": "Mozilla/5.0 (X11; Linux x86_64'
    scrubbed = TRUNC.scrub_text(text)
    assert "198.51.100.23" not in scrubbed and "2001:db8::7" not in scrubbed and "Mozilla" not in scrubbed
    assert "198.51.100.0/24" in scrubbed
    assert TRUNC.scrub_text("at 12:34:56, version 1.2.3") == "at 12:34:56, version 1.2.3"


def _line(**fields) -> bytes:
    event = {"message_id": "m1", "type": "track", "event": "follow", "user_id": "u1",
             "timestamp": "2026-11-20T10:00:00+00:00", "received_at": "2026-11-20T10:00:01+00:00",
             "context": {"ip": "203.0.113.7", "user_agent": "curl/8"}, "properties": {"target_user_id": "u2"}}
    event.update(fields)
    return orjson.dumps({k: v for k, v in event.items() if v is not ...})


@pytest.mark.parametrize(("line", "reason"), [
    (b"{not json", "not JSON"),
    (b"[1, 2]", "not a JSON object"),
    (_line(message_id=...), "missing message_id"),
    (_line(message_id=""), "missing message_id"),
    (_line(message_id=7), "message_id is not a string"),
    (_line(type=...), "missing type"),
    (_line(type="screen"), "unknown type 'screen'"),
    (_line(timestamp=...), "missing timestamp"),
    (_line(timestamp="yesterday"), "timestamp is not an ISO-8601 timestamp"),
    (_line(timestamp="2026-11-20T10:00:00"), "timestamp has no UTC offset"),
    (_line(timestamp="2020-11-01T10:00:00+00:00"), "more than 5 years before received_at"),
    (_line(timestamp="2026-11-21T10:00:02+00:00"), "more than 1 day after received_at"),
    (_line(timestamp="2026-11-25T10:00:00+00:00", received_at=...), "more than 1 day after the load"),
    (_line(received_at="soon"), "received_at is not an ISO-8601 timestamp"),
])
def test_malformed_lines_name_the_problem(line, reason):
    with pytest.raises(Malformed) as caught:
        parse_line(line, HASH, NOW)
    assert reason in caught.value.reason


def test_unknown_event_names_load_and_ua_is_reduced():
    message_id, row = parse_line(_line(event="brand_new_event", timestamp="2026-11-20T11:00:00+01:00"), TRUNC, NOW)
    fields = row.split("\t")
    assert message_id == "m1" and fields[2] == "brand_new_event"
    assert fields[5] == "2026-11-20T11:00:00+01:00"
    assert orjson.loads(fields[8]) == {"ip": "203.0.113.0/24",
                                       "user_agent": {"device_class": "bot", "browser_family": "Other"}}


def test_error_log_ip_and_user_agent_properties_reduced():
    _, row = parse_line(_line(event="error_log", properties={"error_id": "e1", "level": "error", "message": "boom",
                                                             "ip_address": "192.0.2.55",
                                                             "user_agent": "Mozilla/5.0 (iPad) Safari/1"}),
                        TRUNC, NOW)
    properties = orjson.loads(row.split("\t")[9])
    assert properties == {"error_id": "e1", "level": "error", "message": "boom", "ip_address": "192.0.2.0/24",
                          "user_agent": {"device_class": "tablet", "browser_family": "Safari"}}


@pytest.mark.parametrize(("event", "properties", "reason"), [
    ("system_metric", {"metric_type": "cpu", "value": "high"}, 'properties.value: expected a number, got "high"'),
    ("api_request", {"method": "GET", "path": "/", "status": "200"}, "properties.status: expected an integer"),
    ("geo_access_attempt", {"community_id": "c1", "access_result": "maybe"}, "properties.access_result: expected one"),
    ("geo_access_attempt", {"community_id": "c1", "access_result": "allowed", "is_traveler": "yes"},
     "properties.is_traveler: expected true or false"),
    ("community_activity", {"community_id": "c1"}, "properties.activity_type: missing"),
])
def test_a_property_staging_would_fail_to_cast_is_refused_with_its_field(event, properties, reason):
    # one such line must be quarantined with its reason, not break the community build (staging casts)
    with pytest.raises(Malformed, match=re.escape(reason)) as refused:
        parse_line(_line(event=event, properties=properties), TRUNC, NOW)
    assert refused.value.payload["properties"] == properties  # kept for ops.quarantine


def test_an_integer_id_is_stored_as_a_string_and_unknown_events_pass():
    _, row = parse_line(_line(event="community_activity", properties={"community_id": 7, "activity_type": "join"}),
                        TRUNC, NOW)
    assert orjson.loads(row.split("\t")[9])["community_id"] == "7"
    parse_line(_line(event="made_up_event", properties={"value": "anything"}), TRUNC, NOW)


def test_hash_mode_needs_a_key(monkeypatch):
    for key in ("TIDEMARK_IP_MODE", "TIDEMARK_IP_HASH_KEY", "TIDEMARK_SECRET_KEY"):
        monkeypatch.delenv(key, raising=False)
    with pytest.raises(ConfigError, match="TIDEMARK_IP_HASH_KEY"):
        Privacy.from_settings(load_settings(_env_file=None))
    assert Privacy.from_settings(load_settings(_env_file=None, TIDEMARK_IP_MODE="truncate")).mode == "truncate"
    keyed = load_settings(_env_file=None, TIDEMARK_SECRET_KEY="newest-key,older-key")
    assert keyed.ip_hash_secret() == b"newest-key"
    assert load_settings(_env_file=None, TIDEMARK_IP_HASH_KEY="ip-key", TIDEMARK_SECRET_KEY="x").ip_hash_secret() \
        == b"ip-key"
    with pytest.raises(ConfigError, match="TIDEMARK_IP_MODE"):
        load_settings(_env_file=None, TIDEMARK_IP_MODE="clear")


def test_community_is_not_a_platform():
    assert not hasattr(ingestion.community, "PLATFORM")
    assert "community" not in connectors()
