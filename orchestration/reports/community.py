"""Community report assets, jobs and schedules (seed 004's daily report tasks, UTC like the marts' days).

- `reports/community/<report>`: partitioned by UTC day (the report day); any past day can be re-run
  or backfilled from the UI, and only that report's files and registry row change.
- `reports/community_<report>`: the latest complete UTC day, unpartitioned, in the transform job, so
  `tidemark run` / `make run` ends with fresh community reports.

Schedules (seed 004): generate_analytics_reports 03:00 → analytics, generate_community_reports
03:30 → daily, generate_geo_effectiveness_reports 04:00 → geo. Every asset runs after the community
marts and is gated by the community's blocking checks (`reporting.community.publish`).
"""


from datetime import UTC, date, timedelta
from functools import cache

import dagster as dg

from orchestration import community
from orchestration.quality.gate import gate_failure
from orchestration.resources import Tidemark
from orchestration.tags import WORKSPACE_TAG
from reporting.community.publish import CommunityPublished, publish_community_report
from reporting.config import ReportConfigError
from reporting.limits import ReportLimitError
from reporting.run import GateClosed

FIRST_DAY = "2024-01-01"  # the same fixed start as the other daily partitions
# short name → (report kind, schedule hour, minute in UTC)
REPORTS = {"analytics": ("community_analytics", 3, 0), "daily": ("community_daily", 3, 30),
           "geo": ("community_geo", 4, 0)}
READS = [dg.AssetKey(["marts", name]) for name in ("mart_community_daily", "mart_community_platform_daily",
                                                   "mart_error_logs", "mart_geo_restriction")]


@cache
def community_asset_keys() -> frozenset[str]:
    """`<schema>/<name>` of every community asset (raw tables, dbt models), as ops.check_results names them."""
    defs = community.defs()
    keys = {key for asset in defs.assets or [] for key in asset.keys}
    keys |= {check_key.asset_key for checks in defs.asset_checks or [] for check_key in checks.check_keys}
    return frozenset(key.to_user_string() for key in keys)


def materialize_community_report(context, tidemark: Tidemark, kind: str, day: date, partition_key=None):
    try:
        published = publish_community_report(tidemark.runtime(), kind, day, context.run_id, community_asset_keys(),
                                              partition_key, log=context.log.info)
    except GateClosed as closed:
        raise gate_failure(closed.failing, f"the {kind} report is not generated") from None
    except (ReportConfigError, ReportLimitError) as error:
        raise dg.Failure(description=str(error)) from None
    return _result(published)


def _result(published: CommunityPublished) -> dg.MaterializeResult:
    data = published.data
    return dg.MaterializeResult(metadata={
        "period": f"{data.period.start}..{data.period.end}", "report_day": str(data.day),
        "communities": len(data.communities), "days_with_data": len(data.days_with_data),
        "not_available": dg.MetadataValue.json(data.unavailable),
        "directory": dg.MetadataValue.path(str(published.directory)),
        "files": dg.MetadataValue.json(published.files), "size_bytes": published.size_bytes,
        "seconds": published.seconds, "totals": dg.MetadataValue.json({k: v for k, v in data.totals.items()
                                                                        if not isinstance(v, date)}),
        "summary": dg.MetadataValue.md("```\n" + published.summary + "\n```"),
        "deliveries": dg.MetadataValue.json(published.deliveries),
    })


def _no_community(context, tidemark: Tidemark) -> dg.MaterializeResult | None:
    config = tidemark.runtime().workspace
    if config.community is None:
        context.log.info("this deployment has no community section: no community report")
        return dg.MaterializeResult(metadata={"skipped": "no community section in tidemark.yaml"})
    scoped, owner = context.run.tags.get(WORKSPACE_TAG), config.community_workspace().id
    if scoped is not None and scoped != owner:  # a run for another workspace
        context.log.info(f"a run for workspace {scoped!r}: the community is {owner!r}'s, no community report")
        return dg.MaterializeResult(metadata={"skipped": f"run scoped to workspace {scoped}; the community is {owner}'s"})
    return None


def partitioned_report(short: str, partitions_def) -> dg.AssetsDefinition:
    kind = REPORTS[short][0]

    @dg.asset(key=["reports", "community", short], group_name="reports", deps=READS, partitions_def=partitions_def,
              kinds={"csv", "json", "pdf"}, description=f"{kind.replace('_', ' ').capitalize()} report of the "
                                                       "partition's UTC day (and the days before it it covers).")
    def _asset(context: dg.AssetExecutionContext, tidemark: Tidemark):
        skipped = _no_community(context, tidemark)
        return skipped or materialize_community_report(context, tidemark, kind, date.fromisoformat(
            context.partition_key), partition_key=context.partition_key)

    return _asset


def latest_report(short: str) -> dg.AssetsDefinition:
    kind = REPORTS[short][0]

    @dg.asset(key=["reports", kind], group_name="reports", deps=READS, kinds={"csv", "json", "pdf"},
              description=f"{kind.replace('_', ' ').capitalize()} report of the latest complete UTC day.")
    def _asset(context: dg.AssetExecutionContext, tidemark: Tidemark):
        skipped = _no_community(context, tidemark)
        if skipped:
            return skipped
        day = tidemark.runtime().settings.now().astimezone(UTC).date() - timedelta(days=1)
        return materialize_community_report(context, tidemark, kind, day, partition_key=day.isoformat())

    return _asset


LATEST = [latest_report(short) for short in REPORTS]


def defs() -> dg.Definitions:
    partitions = dg.DailyPartitionsDefinition(start_date=FIRST_DAY, timezone="UTC")
    assets, jobs, schedules = [], [], []
    for short, (kind, hour, minute) in REPORTS.items():
        asset = partitioned_report(short, partitions)
        job = dg.define_asset_job(f"{kind}_report_job", selection=dg.AssetSelection.assets(asset),
                                  partitions_def=partitions, tags={"domain": "community"},
                                  description=f"The {kind.replace('_', ' ')} report of one UTC day.")
        schedules.append(dg.build_schedule_from_partitioned_job(
            job, name=f"{kind}_report_schedule", hour_of_day=hour, minute_of_hour=minute,
            default_status=dg.DefaultScheduleStatus.RUNNING,
            description=f"Daily {hour:02d}:{minute:02d} UTC: the {kind.replace('_', ' ')} report of the day before."))
        assets.append(asset)
        jobs.append(job)
    return dg.Definitions(assets=assets, jobs=jobs, schedules=schedules)
