"""The X metric registry: deprecated names mapped, retired ones skipped, owner-only ones gated."""

from __future__ import annotations

import pytest

from ingestion.x.metrics import DEFAULT_METRICS, MetricRegistry, applies


def test_default_plan_with_user_context_asks_owner_metrics_only_for_recent_posts():
    p = MetricRegistry(DEFAULT_METRICS, user_context=True)
    assert p.warnings == []
    assert {"public_metrics", "non_public_metrics", "organic_metrics"} <= set(p.recent.tweet_fields)
    assert "non_public_metrics" not in p.older.tweet_fields and "organic_metrics" not in p.older.tweet_fields
    assert "public_metrics" in p.older.media_fields  # video views are public
    params = p.recent.params()
    assert params["expansions"] == "attachments.media_keys" and "created_at" in params["tweet.fields"]


def test_app_only_never_requests_owner_metrics_and_says_so():
    p = MetricRegistry(DEFAULT_METRICS, user_context=False)
    assert "non_public_metrics" not in p.recent.tweet_fields
    assert "organic_metrics" not in p.recent.tweet_fields
    assert any("no user-context token" in w for w in p.warnings)


def test_retired_metric_is_skipped_with_a_warning():
    p = MetricRegistry("like_count,promoted_impression_count", user_context=True)
    assert p.metrics == ("like_count",)
    assert "promoted_metrics" not in p.recent.tweet_fields
    assert any("promoted_impression_count" in w and "retired" in w for w in p.warnings)


def test_deprecated_name_maps_to_its_successor():
    p = MetricRegistry("favorite_count,view_count", user_context=False)
    assert set(p.metrics) == {"like_count", "impression_count"}
    assert any("favorite_count" in w and "like_count" in w for w in p.warnings)


def test_unknown_metric_is_skipped_not_fatal():
    p = MetricRegistry("like_count,bogus_metric", user_context=False)
    assert p.metrics == ("like_count",)
    assert any("bogus_metric" in w for w in p.warnings)


def test_unknown_api_version_is_a_configuration_error():
    with pytest.raises(ValueError, match="API version"):
        MetricRegistry(DEFAULT_METRICS, "1.1", user_context=False)


def test_refused_field_is_dropped_from_both_slices_with_its_metrics():
    p = MetricRegistry(DEFAULT_METRICS, user_context=True)
    assert p.reject("organic_metrics", "invalid request")
    warning = p.warnings[-1]
    assert "organic_metrics" not in p.recent.tweet_fields
    assert "organic_impression_count" not in p.metrics and "organic_impression_count" in warning
    assert "like_count" in p.metrics


def test_video_views_only_apply_to_videos():
    assert applies("video_view_count", "video")
    assert not applies("video_view_count", "text")
    assert applies("like_count", "link")
