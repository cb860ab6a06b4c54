"""The LinkedIn simulator speaks the wire format the connector relies on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from ingestion.linkedin import restli
from simulator.server import SimulatorServer

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)
ORG = "urn:li:organization:42"
HEADERS = {"Authorization": "Bearer sim-li-access:42", "LinkedIn-Version": "202610",
           "X-Restli-Protocol-Version": "2.0.0"}


@pytest.fixture
def sim():
    with SimulatorServer(seed=3, now=NOW, history_days=60) as server:
        yield server


def get(sim, path, headers=HEADERS, **params):
    with httpx.Client(transport=restli.RestliTransport()) as http:
        return http.get(sim.urls()["linkedin_rest"] + "/" + path, params=params, headers=headers)


def test_sunset_and_missing_versions(sim):
    old = get(sim, "posts", {**HEADERS, "LinkedIn-Version": "202501"}, q="author", author=ORG)
    assert old.status_code == 426 and old.json()["code"] == "NONEXISTENT_VERSION"
    missing = get(sim, "posts", {k: v for k, v in HEADERS.items() if k != "LinkedIn-Version"}, q="author", author=ORG)
    assert missing.status_code == 400 and missing.json()["code"] == "VERSION_MISSING"


def test_another_organization_is_access_denied(sim):
    denied = get(sim, "posts", q="author", author="urn:li:organization:43")
    assert denied.status_code == 403
    assert set(denied.json()) == {"status", "serviceErrorCode", "code", "message"}
    assert denied.json()["code"] == "ACCESS_DENIED"


def test_posts_are_epoch_ms_urns_newest_first_and_count_is_capped(sim):
    page = get(sim, "posts", q="author", author=ORG, count=100, start=0).json()
    modified = [p["lastModifiedAt"] for p in page["elements"]]
    assert modified == sorted(modified, reverse=True) and page["paging"]["total"] == len(modified)
    assert all(p["id"].startswith(("urn:li:share:", "urn:li:ugcPost:")) for p in page["elements"])
    assert get(sim, "posts", q="author", author=ORG, count=101).status_code == 400


def test_daily_statistics_end_two_days_before_today(sim):
    interval = restli.day_intervals(NOW.date() - timedelta(days=10), NOW.date())
    body = get(sim, "organizationalEntityShareStatistics", q="organizationalEntity", organizationalEntity=ORG,
               timeIntervals=interval).json()
    last = max(restli.day_of(e["timeRange"]["start"]) for e in body["elements"])
    assert last == NOW.date() - timedelta(days=2) and len(body["elements"]) == 9
    assert "uniqueImpressionsCount" not in body["elements"][0]["totalShareStatistics"]


def test_lifetime_counters_only_grow(sim):
    urns = [p["id"] for p in get(sim, "posts", q="author", author=ORG, count=20).json()["elements"]]
    shares = [u for u in urns if u.startswith("urn:li:share:")]

    def stats():
        body = get(sim, "organizationalEntityShareStatistics", q="organizationalEntity", organizationalEntity=ORG,
                   shares=restli.urn_list(shares)).json()
        return {e["share"]: e["totalShareStatistics"]["impressionCount"] for e in body["elements"]}

    before = stats()
    sim.set_now(NOW + timedelta(hours=30))
    after = stats()
    assert before.keys() == after.keys() and all(after[k] >= before[k] for k in before)
    assert sum(after.values()) > sum(before.values())


def test_daily_limit_429_has_no_reset_header(sim):
    sim.set_faults({"linkedin": {"quota_exceeded_after": 0}})
    answer = get(sim, "networkSizes/" + "urn%3Ali%3Aorganization%3A42", edgeType="COMPANY_FOLLOWED_BY_MEMBER")
    assert answer.status_code == 429 and "APPLICATION DAY limit" in answer.json()["message"]
    assert "retry-after" not in answer.headers


def test_network_size_and_facets(sim):
    size = get(sim, "networkSizes/urn%3Ali%3Aorganization%3A42", edgeType="COMPANY_FOLLOWED_BY_MEMBER").json()
    facets = get(sim, "organizationalEntityFollowerStatistics", q="organizationalEntity",
                 organizationalEntity=ORG).json()["elements"][0]
    by_country = sum(f["followerCounts"]["organicFollowerCount"] for f in facets["followerCountsByGeoCountry"])
    assert by_country == size["firstDegreeSize"] > 0
