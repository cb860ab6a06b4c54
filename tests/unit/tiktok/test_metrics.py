"""The metric registry: retired metrics dropped with a warning, deprecated ones renamed, ids kept."""

import pytest

from ingestion.tiktok.metrics import BUSINESS, CATALOG, DISPLAY, MetricRegistry, parse_overrides, scope_of


def test_default_request_lists_are_the_catalog():
    registry = MetricRegistry()
    assert registry.fields(DISPLAY, "video") == [m.name for m in CATALOG[(DISPLAY, "video")]]
    assert "favorites" in registry.fields(BUSINESS, "video")


def test_retired_metric_is_dropped_with_one_warning():
    registry = MetricRegistry(retired="business/v1.3:video:favorites,display/v2:video:share_count")
    warnings = registry.warnings
    assert "favorites" not in registry.fields(BUSINESS, "video")
    assert "share_count" not in registry.fields(DISPLAY, "video")
    registry.fields(BUSINESS, "video")
    assert len([w for w in warnings if "favorites" in w]) == 1  # deduplicated per sync


def test_deprecated_metric_is_replaced_by_its_successor():
    registry = MetricRegistry(renamed="display/v2:video:view_count=play_count")
    warnings = registry.warnings
    fields = registry.fields(DISPLAY, "video")
    assert "play_count" in fields and "view_count" not in fields
    assert any("deprecated" in w for w in warnings)


def test_runtime_rejection_retires_for_the_rest_of_the_sync():
    registry = MetricRegistry()
    warnings = registry.warnings
    assert registry.reject("reach", "40002", scope_of(BUSINESS, "video"))
    assert "reach" not in registry.fields(BUSINESS, "video")
    assert any("'reach' rejected" in w for w in warnings)


def test_identity_fields_are_never_dropped():
    registry = MetricRegistry(retired="display/v2:video:id")
    assert "id" in registry.fields(DISPLAY, "video")
    assert not registry.reject("create_time", "invalid_params", scope_of(DISPLAY, "video"))
    assert not registry.reject("not_requested", "invalid_params", scope_of(DISPLAY, "video"))


def test_overrides_are_validated():
    assert parse_overrides("business/v1.3:video:a=b, display/v2:user:c") == {
        (BUSINESS, "video"): {"a": "b"}, (DISPLAY, "user"): {"c": None}}
    with pytest.raises(ValueError, match="api:object:name"):
        parse_overrides("favorites")
