"""Metric registry: per version and media type, retirements, renames, run-time drops."""

from __future__ import annotations

from ingestion.linkedin.metrics import Metric, MetricRegistry


def names(planned: dict[str, str]) -> list[str]:
    return list(planned)


def test_video_metrics_only_apply_to_videos():
    registry = MetricRegistry("202610")
    assert names(registry.plan("video", "video")) == ["VIDEO_VIEW", "VIEWER", "TIME_WATCHED",
                                                            "TIME_WATCHED_FOR_VIDEO_VIEWS"]
    assert registry.plan("video", "image") == {} and registry.warnings == []


def test_metric_retired_in_a_version_is_skipped_with_a_warning():
    group = (Metric("A", "a"), Metric("B", "b", until=202609), Metric("C", "c", since=202701))
    registry = MetricRegistry("202610", groups={"test": group})
    assert names(registry.plan("test", "text")) == ["A"]
    assert any("B skipped" in w for w in registry.warnings) and any("C skipped" in w for w in registry.warnings)
    assert names(MetricRegistry("202608", groups={"test": group}).plan("test", "text")) == ["A", "B"]


def test_configured_retirement_and_rename():
    registry = MetricRegistry("202610", retired="VIEWER", renamed="TIME_WATCHED=TOTAL_TIME_WATCHED")
    planned = registry.plan("video", "video")
    assert names(planned) == ["VIDEO_VIEW", "TOTAL_TIME_WATCHED", "TIME_WATCHED_FOR_VIDEO_VIEWS"]
    assert planned["TOTAL_TIME_WATCHED"] == "TIME_WATCHED"
    assert registry.metric("TIME_WATCHED").canonical == "watch_time_ms"
    assert any("deprecated" in w for w in registry.warnings)


def test_rejected_metric_is_dropped_for_the_rest_of_the_run_and_warns_once():
    registry = MetricRegistry("202610")
    registry.reject("VIEWER", "HTTP 400")
    registry.reject("VIEWER", "HTTP 400")
    assert "VIEWER" not in names(registry.plan("video", "video"))
    assert "VIEWER" not in names(registry.plan("video", "video"))
    assert sum("VIEWER dropped" in w for w in registry.warnings) == 1


def test_unique_impressions_are_expected_only_for_lifetime_statistics():
    registry = MetricRegistry("202610")
    daily = {"impressionCount": 1, "clickCount": 0, "likeCount": 0, "commentCount": 0, "shareCount": 0,
             "engagement": 0.0}
    assert registry.missing_fields(daily, lifetime=False) == []
    assert registry.missing_fields(daily, lifetime=True) == ["uniqueImpressionsCount"]
