"""The Dagster code location loads, and the asset graph reads raw → staging → marts → gate → reports."""

import dagster as dg

from tests.helpers import definitions as build_definitions


def test_definitions_load_and_graph_shape():
    defs = build_definitions()
    keys = {key.to_user_string() for key in defs.resolve_all_asset_keys()}
    assert {"raw/youtube_videos", "staging/stg_youtube__video_days", "marts/dim_posts",
            "marts/fct_post_metrics_daily", "marts/fct_account_metrics_daily", "ops/quality_gate",
            "reports/weekly_performance"} <= keys

    graph = defs.resolve_asset_graph()
    gate = dg.AssetKey(["ops", "quality_gate"])
    report = dg.AssetKey(["reports", "weekly_performance"])
    assert gate in graph.get(report).parent_keys
    assert dg.AssetKey(["marts", "dim_posts"]) in graph.get(gate).parent_keys
    # insights: the alerts right after the facts, the insight marts before the gate, both reports after it
    marts = dg.AssetKey(["marts", "fct_account_metrics_daily"])
    forecasts, anomalies = dg.AssetKey(["marts", "mart_forecasts"]), dg.AssetKey(["marts", "mart_anomalies"])
    alerts = dg.AssetKey(["ops", "alerts"])
    assert marts in graph.get(forecasts).parent_keys and marts in graph.get(alerts).parent_keys
    assert alerts in graph.get(anomalies).parent_keys
    assert {forecasts, anomalies} <= graph.get(gate).parent_keys
    assert gate in graph.get(dg.AssetKey(["reports", "weekly_growth"])).parent_keys
    transform = defs.resolve_job_def("transform_and_report").asset_layer.executable_asset_keys
    assert {forecasts, anomalies, alerts, dg.AssetKey(["marts", "mart_ab_tests"]),
            dg.AssetKey(["reports", "weekly_growth"]), dg.AssetKey(["reports", "weekly_comparison"])} <= set(transform)
    assert dg.AssetKey(["raw", "youtube_videos"]) in graph.get(
        dg.AssetKey(["staging", "stg_youtube__video_snapshots"])).parent_keys


def test_jobs_schedules_and_checks():
    defs = build_definitions()
    assert defs.resolve_job_def("ingest_youtube_job").partitions_def is not None
    assert defs.resolve_job_def("transform_and_report")
    schedule = defs.resolve_schedule_def("ingest_youtube_schedule")
    assert schedule.cron_schedule == "0 */4 * * *"
    assert defs.resolve_sensor_def("transform_after_ingest")
    check_keys = {key.name for key in defs.resolve_asset_graph().asset_check_keys}
    assert "gx_youtube_videos" in check_keys
    assert any(name.startswith("not_null_") for name in check_keys)  # dbt tests as asset checks


def test_schedule_is_configurable(monkeypatch):
    monkeypatch.setenv("TIDEMARK_YOUTUBE_SCHEDULE", "15 */2 * * *")
    assert build_definitions().resolve_schedule_def("ingest_youtube_schedule").cron_schedule == "15 */2 * * *"
