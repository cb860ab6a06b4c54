"""The metric registry: retired metrics mapped or dropped per version/date, media types respected."""

from __future__ import annotations

from datetime import date

from ingestion.facebook.metrics import MetricRegistry


def registry(version="v26.0", today=date(2026, 11, 20)):
    reg = MetricRegistry(version, today)
    return reg, reg.warnings


def test_removed_metric_with_successor_is_asked_under_the_new_name():
    reg, warnings = registry()
    wanted = reg.plan("page_day", requested="page_impressions,page_fans,page_post_engagements")
    assert wanted == {"page_media_view": "page_impressions", "page_follows": "page_fans",
                      "page_post_engagements": "page_post_engagements"}
    assert any("page_impressions" in w and "page_media_view" in w for w in warnings)


def test_removed_metric_without_successor_is_dropped_with_a_warning():
    reg, warnings = registry()
    assert reg.plan("post", requested=["post_impressions_paid", "post_clicks"]) == {"post_clicks": "post_clicks"}
    assert any("post_impressions_paid" in w for w in warnings)


def test_retirement_depends_on_version_and_date():
    before, _ = registry("v23.0", date(2026, 1, 10))
    assert before.plan("page_day", requested=["page_impressions_unique"]) == {
        "page_impressions_unique": "page_impressions_unique"}  # still served until 2026-06-15
    newer, _ = registry("v25.0", date(2026, 1, 10))
    assert newer.plan("page_day", requested=["page_impressions_unique"]) == {
        "page_total_media_view_unique": "page_impressions_unique"}
    after, _ = registry("v23.0", date(2026, 7, 1))
    assert "page_impressions_unique" not in after.plan("page_day", requested=["page_impressions_unique"])


def test_media_types_get_only_their_metrics():
    reg, warnings = registry()
    names = "blue_reels_play_count,total_video_views,post_video_view_time"
    assert set(reg.plan("video", "reel", requested=names)) == {"blue_reels_play_count", "post_video_view_time"}
    assert set(reg.plan("video", "video", requested=names)) == {"total_video_views", "post_video_view_time"}
    assert "post_video_views" not in reg.plan("post", "image", requested=["post_video_views"])
    assert warnings == []  # a media type not offering a metric is not a problem


def test_rejected_metric_is_skipped_for_that_media_type_only():
    reg, warnings = registry()
    reg.reject("post_clicks", "(#100) invalid", "reel")
    reg.reject("post_clicks", "(#100) invalid", "reel")
    assert "post_clicks" not in reg.plan("post", "reel", requested=["post_clicks"])
    assert "post_clicks" in reg.plan("post", "image", requested=["post_clicks"])
    assert len(warnings) == 1


def test_unknown_metrics_pass_through_for_graph_to_judge():
    reg, _ = registry()
    assert reg.plan("post", requested=["post_brand_new_metric"]) == {"post_brand_new_metric": "post_brand_new_metric"}
