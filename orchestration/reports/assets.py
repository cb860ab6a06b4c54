"""Report assets: all downstream of the quality gate, so a failing blocking check means no report.

- `reports/weekly_performance`, `reports/weekly_growth`, `reports/weekly_comparison`: the latest
  complete ISO week (unpartitioned; part of the transform_and_report job, so `make run` always ends
  with fresh weekly performance, growth and comparison reports).
- `reports/weekly/<type>`, `reports/monthly/<type>`: partitioned by week / month in the workspace
  time zone; any past period can be re-run from the UI and only that period's files change.
- `reports/custom/<name>`: one asset per reports.yaml entry (partitioned when its range is relative).
- `reports/cleanup`: removes expired reports.
"""

from collections.abc import Callable
from datetime import UTC, datetime

import dagster as dg

from orchestration.quality.gate import GATE_KEY, gate_failure
from orchestration.resources import Tidemark
from orchestration.tags import WORKSPACE_TAG
from reporting.cleanup import remove_expired
from reporting.config import ReportConfigError, ReportSpec, load_reports_config
from reporting.limits import ReportLimitError
from reporting.periods import Period, month_of, previous_iso_week, week_of
from reporting.run import GateClosed, Published, anchor_after, publish_report, report_workspaces

GATE = GATE_KEY
FIRST_PERIOD = "2024-01-01"  # a Monday; the same fixed start as the daily ingestion partitions
PERIOD_OF = {"weekly": week_of, "monthly": month_of}


def materialize_report(context, tidemark, spec: ReportSpec, period: Period | Callable, partition_key=None):
    """Publish `spec` for `period` (or period(workspace): the latest week is each workspace's own), one
    report per workspace that gets it (a run tagged tidemark/workspace=W: W's only); a refusal fails
    the asset (dg.Failure)."""
    runtime = tidemark.runtime()
    published = {}
    try:
        for tenant in report_workspaces(runtime.workspace, spec, context.run.tags.get(WORKSPACE_TAG)):
            when = period(tenant) if callable(period) else period
            key = partition_key or (when.start.isoformat() if callable(period) else None)
            published[tenant.id] = publish_report(runtime, tenant, spec, when, context.run_id, key,
                                                  log=context.log.info)
    except GateClosed as closed:
        raise gate_failure(closed.failing, "no report is generated") from None
    except (ReportLimitError, ReportConfigError) as error:
        raise dg.Failure(description=str(error)) from None
    return _result(published)


def _result(published: dict[str, Published]) -> dg.MaterializeResult:
    def one(done: Published) -> dict:
        report = done.report
        return {"period": f"{done.period.start}..{done.period.end}", "directory": str(report.directory), "files": report.files, "size_bytes": report.size_bytes,
                "seconds": done.seconds, "totals": report.data.totals, "deliveries": done.deliveries}

    summaries = "\n\n".join(f"## {ws}\n```\n{done.report.summary}\n```" for ws, done in published.items())
    return dg.MaterializeResult(metadata={
        "periods": ", ".join(sorted({f"{d.period.start}..{d.period.end}" for d in published.values()})),
        "workspaces": dg.MetadataValue.json({ws: one(done) for ws, done in published.items()}),
        "size_bytes": sum(done.report.size_bytes for done in published.values()),
        "summary": dg.MetadataValue.md(summaries or "No workspace gets this report (tidemark.yaml `reports:`)."),
    })


def partitions(cadence: str, timezone: str):
    if cadence == "weekly":
        return dg.WeeklyPartitionsDefinition(start_date=FIRST_PERIOD, day_offset=1, timezone=timezone)
    return dg.MonthlyPartitionsDefinition(start_date=FIRST_PERIOD, timezone=timezone)


def latest_week_asset(report_type: str, contents: str) -> dg.AssetsDefinition:
    """`reports/weekly_<type>`: the latest complete ISO week's report (workspace time zone), named like the
    partitioned one."""

    @dg.asset(key=["reports", f"weekly_{report_type}"], group_name="reports", deps=[GATE], kinds={"csv", "json", "pdf"},
              description=f"Weekly {report_type} report of the latest complete ISO week (workspace time zone)"
                          f"{': ' + contents if contents else ''}; CSV, JSON, PDF.")
    def _asset(context: dg.AssetExecutionContext, tidemark: Tidemark):
        now = tidemark.runtime().settings.now()
        spec = ReportSpec(name=f"weekly_{report_type}", type=report_type,
                          formats=load_reports_config().scheduled.formats)
        return materialize_report(context, tidemark, spec, lambda tenant: previous_iso_week(now, tenant.timezone))

    return _asset


weekly_performance_report = latest_week_asset("performance", "")
weekly_growth_report = latest_week_asset("growth", "follower growth, forecasts, anomalies")
weekly_comparison_report = latest_week_asset("comparison", "platforms on equal terms, competitor benchmarks, "
                                                           "ROI by platform")


def scheduled_report_asset(cadence: str, report_type: str, partitions_def) -> dg.AssetsDefinition:
    """`reports/<cadence>/<type>`: the standard report of one week or month."""
    name = f"{cadence}_{report_type}"

    @dg.asset(key=["reports", cadence, report_type], group_name="reports", deps=[GATE],
              partitions_def=partitions_def, kinds={"csv", "json", "pdf"},
              description=f"{cadence.capitalize()} {report_type} report of the partition's period (all platforms).")
    def _asset(context: dg.AssetExecutionContext, tidemark: Tidemark):
        spec = ReportSpec(name=name, type=report_type, formats=load_reports_config().scheduled.formats)
        period = PERIOD_OF[cadence](context.partition_key)
        return materialize_report(context, tidemark, spec, period, partition_key=context.partition_key)

    return _asset


def custom_report_asset(spec: ReportSpec, partitions_def) -> dg.AssetsDefinition:
    """`reports/custom/<name>`; the spec is re-read at run time so edits apply without a redeploy."""
    name = spec.name

    @dg.asset(key=["reports", "custom", name], group_name="reports", deps=[GATE],
              partitions_def=partitions_def if spec.is_relative else None, kinds={*spec.formats},
              description=f"Custom {spec.type} report {name!r} ({_range_text(spec)}) from reports.yaml.")
    def _asset(context: dg.AssetExecutionContext, tidemark: Tidemark):
        current = {s.name: s for s in load_reports_config().custom}.get(name)
        if current is None:
            raise dg.Failure(description=f"custom report {name!r} is no longer in reports.yaml")
        if current.is_relative:
            period = current.period(anchor_after(PERIOD_OF[current.schedule](context.partition_key)))
        else:
            period = current.period(anchor=None)
        return materialize_report(context, tidemark, current, period,
                                  partition_key=context.partition_key if context.has_partition_key else None)

    return _asset


def _range_text(spec: ReportSpec) -> str:
    if spec.is_relative:
        return f"{spec.date_range}, {spec.schedule}"
    return f"{spec.date_range.start}..{spec.date_range.end}"


@dg.asset(key=["reports", "cleanup"], group_name="reports", kinds={"python"},
          description="Deletes the files of expired reports (ops.analytics_reports.expires_at) and marks them.")
def report_cleanup(context: dg.AssetExecutionContext, tidemark: Tidemark):
    runtime = tidemark.runtime()
    with runtime.connect() as conn:
        done = remove_expired(conn, runtime.settings.reports_dir, datetime.now(UTC))
    context.log.info(f"{len(done)} expired report(s) removed")
    return dg.MaterializeResult(metadata={"removed": len(done), "reports": dg.MetadataValue.json(done)})


# The latest-week reports the transform_and_report job (orchestration/definitions.py) ends with.
LATEST_WEEK = [weekly_performance_report, weekly_growth_report, weekly_comparison_report]
