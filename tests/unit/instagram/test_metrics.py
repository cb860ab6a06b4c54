"""The metric registry: the right set per media type, retired names mapped or dropped, rejections remembered."""

from __future__ import annotations

import pytest

from core.settings import ConfigError
from ingestion.instagram.metrics import MetricRegistry

REELS_ONLY = {"ig_reels_avg_watch_time", "ig_reels_video_view_total_time", "reels_skip_rate"}


def test_each_product_type_gets_only_its_metrics():
    registry = MetricRegistry("v26.0")
    feed, reels, story = (set(registry.plan("media", kind)) for kind in ("FEED", "REELS", "STORY"))
    assert REELS_ONLY <= reels and not REELS_ONLY & feed and not REELS_ONLY & story
    assert {"replies", "navigation"} <= story and "saved" not in story and "likes" not in story
    assert {"profile_visits", "follows", "saved"} <= feed and "profile_visits" not in reels
    assert not {"impressions", "plays", "video_views"} & (feed | reels | story)
    assert registry.plan("media", "AD") == registry.plan("media", "FEED")
    assert registry.plan("media", None) == registry.plan("media", "FEED")


def test_retired_extra_metrics_map_to_views_and_keep_the_source_name():
    registry = MetricRegistry("v26.0", extra="impressions, plays, website_clicks")
    plan = registry.plan("media", "REELS")
    assert list(plan).count("views") == 1 and "impressions" not in plan and "plays" not in plan
    assert {name: source for name, source in plan.items() if name != source} == {"views": "impressions"}
    assert any("impressions was retired" in w for w in registry.warnings)
    assert any("website_clicks" in w and "no successor" in w for w in registry.warnings)


def test_extra_metric_of_another_type_is_not_requested_and_unknown_ones_are_left_to_the_api():
    registry = MetricRegistry("v26.0", extra="reels_skip_rate,brand_new_metric")
    assert "reels_skip_rate" not in registry.plan("media", "FEED")
    assert "brand_new_metric" in registry.plan("media", "FEED")
    assert any("reels_skip_rate is not supported for FEED" in w for w in registry.warnings)


def test_a_rejected_metric_is_not_asked_again_and_warned_once():
    registry = MetricRegistry("v26.0")
    registry.reject("profile_visits", "(#100) not supported", "FEED")
    registry.reject("profile_visits", "(#100) not supported", "FEED")
    assert "profile_visits" not in registry.plan("media", "FEED")
    assert "profile_visits" in registry.plan("media", "STORY")  # only that media type
    assert len(registry.warnings) == 1


@pytest.mark.parametrize("version", ["v21.0", "latest", "26"])
def test_unsupported_or_malformed_versions_are_config_errors(version):
    with pytest.raises(ConfigError, match="TIDEMARK_INSTAGRAM_API_VERSION"):
        MetricRegistry(version)
