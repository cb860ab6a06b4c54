"""The reports domain: partitioned report assets, their jobs and schedules, and the cleanup.

Partitions follow the workspace time zone (tidemark.yaml), so "last week" ends at midnight where
the team works. The weekly schedule runs on Monday morning for the ISO week that just ended; the
monthly one on the 1st for the month that just ended.
"""

import dagster as dg

from core.settings import ConfigError, load_settings
from core.workspace import load_workspace
from ingestion.registry import platforms
from orchestration.reports import community as community_reports
from orchestration.reports.assets import (
    custom_report_asset,
    partitions,
    report_cleanup,
    scheduled_report_asset,
)
from reporting.config import load_reports_config

SCHEDULE_HOUR = 7


def workspace_timezone() -> str:
    """The workspace's time zone; UTC when tidemark.yaml cannot be read (the run then fails clearly)."""
    try:
        return load_workspace(load_settings().config_path, platforms()).workspace.timezone
    except ConfigError:
        return "UTC"


def defs() -> dg.Definitions:
    config = load_reports_config()
    timezone = workspace_timezone()
    parts = {cadence: partitions(cadence, timezone) for cadence in ("weekly", "monthly")}
    by_cadence: dict[str, list] = {"weekly": [], "monthly": []}
    for cadence in by_cadence:
        by_cadence[cadence] += [scheduled_report_asset(cadence, kind, parts[cadence])
                                for kind in getattr(config.scheduled, cadence)]
    standalone = []
    for spec in config.custom:
        asset = custom_report_asset(spec, parts[spec.schedule])
        (by_cadence[spec.schedule] if spec.is_relative else standalone).append(asset)
    jobs, schedules = [], []
    for cadence, assets in by_cadence.items():
        if not assets:
            continue
        job = dg.define_asset_job(f"{cadence}_reports_job", selection=dg.AssetSelection.assets(*assets),
                                  partitions_def=parts[cadence], tags={"domain": "reports"},
                                  description=f"Every {cadence} report (standard + custom) for one period.")
        jobs.append(job)
        schedules.append(dg.build_schedule_from_partitioned_job(
            job, name=f"{cadence}_reports_schedule", hour_of_day=SCHEDULE_HOUR, minute_of_hour=0,
            day_of_week=1 if cadence == "weekly" else None, day_of_month=1 if cadence == "monthly" else None,
            default_status=dg.DefaultScheduleStatus.RUNNING,
            description=f"{cadence.capitalize()} reports of the period that just ended ({timezone})."))
    cleanup_job = dg.define_asset_job("report_cleanup_job", selection=dg.AssetSelection.assets(report_cleanup))
    schedules.append(dg.ScheduleDefinition(name="report_cleanup_schedule", job=cleanup_job, cron_schedule="30 3 * * *",
                                           execution_timezone=timezone,
                                           default_status=dg.DefaultScheduleStatus.RUNNING))
    assets = [*by_cadence["weekly"], *by_cadence["monthly"], *standalone, report_cleanup]
    return dg.Definitions.merge(dg.Definitions(assets=assets, jobs=[*jobs, cleanup_job], schedules=schedules),
                                community_reports.defs())
