"""The connector's client against the simulator (no database): paging, parsing, metric drop-and-retry."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime

import pytest

from core.redaction import Redactor
from ingestion.http import AuthError, RetryPolicy
from ingestion.instagram.client import InstagramLimits, build_client, unix, value_date
from simulator.server import SimulatorServer

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)
USER = "17841400000000101"


@pytest.fixture
def sim():
    with SimulatorServer(seed=11, now=NOW, history_days=130) as server:
        yield server


def client_for(sim, extra: str = "", app_secret: str | None = None, redactor: Redactor | None = None):
    limits = InstagramLimits(api_version="v26.0", requests_per_hour=200, page_size=20, timeout_s=10,
                             retry=RetryPolicy(max_attempts=3), extra_media_metrics=extra)
    credentials = {"access_token": f"sim-ig:{USER}", **({"app_secret": app_secret} if app_secret else {})}
    return build_client(account_id=USER, base_url=sim.urls()["instagram_graph_facebook"], credentials=credentials,
                        credential_setting="IG_TOKEN", limits=limits, redactor=redactor or Redactor(),
                        now=lambda: NOW, logger=logging.getLogger("test"), sleep=lambda s: None)


def test_media_pages_walk_to_the_end_without_keeping_the_token(sim):
    client = client_for(sim, app_secret="app-secret-123")
    pages = list(client.media_pages())
    ids = [item["id"] for page in pages for item in page.data["data"]]
    assert len(pages) >= 3 and len(ids) == len(set(ids)) == client.user()["media_count"]
    for page in pages[1:]:
        assert "after" in page.request.params and "access_token" not in page.request.params
        assert "appsecret_proof" not in page.request.params
    assert client.calls == len(pages) + 1


def test_a_metric_the_api_rejects_is_dropped_and_the_call_retried(sim):
    sim.set_faults({"instagram": {"ig_reject_metrics": ["shares"]}})
    client = client_for(sim, extra="impressions")
    media = next(item for page in client.media_pages() for item in page.data["data"])
    client.calls = 0
    insights = client.media_insights(media["id"], media["media_product_type"])
    names = [item["name"] for item in insights.data]
    assert "shares" not in names and "views" in names and "likes" in names
    assert insights.source_names == {"views": "impressions"}
    assert client.calls == 2  # one refused call, one without the metric
    assert any("shares" in w for w in client.registry.warnings)
    client.calls = 0
    client.media_insights(media["id"], media["media_product_type"])
    assert client.calls == 1  # remembered: not asked again


def test_not_enough_viewers_is_no_data(sim):
    sim.set_faults({"instagram": {"ig_not_enough_viewers_every": 1}})
    client = client_for(sim)
    media = next(item for page in client.media_pages() for item in page.data["data"])
    insights = client.media_insights(media["id"], media["media_product_type"])
    assert insights.data == [] and insights.unavailable == "not_enough_viewers"


def test_expired_token_is_an_auth_error_naming_the_setting_and_never_retried(sim):
    sim.set_faults({"instagram": {"expire_token_after": 0}})
    redactor = Redactor()
    client = client_for(sim, redactor=redactor)
    with pytest.raises(AuthError) as caught:
        client.user()
    assert caught.value.setting == "IG_TOKEN" and caught.value.account == USER
    assert sim.stats()["calls"]["instagram"]["node"] == 1
    assert f"sim-ig:{USER}" not in str(caught.value)


def test_daily_value_dates_and_unix_bounds():
    assert value_date("2026-11-15T08:00:00+0000") == date(2026, 11, 14)
    assert value_date("2026-07-15T07:00:00+0000") == date(2026, 7, 14)
    assert unix(date(2026, 11, 20)) == int(datetime(2026, 11, 20, tzinfo=UTC).timestamp())
