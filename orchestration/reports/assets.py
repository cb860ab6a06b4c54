"""Report assets: downstream of the quality gate, so a failing blocking check means no report."""


from datetime import UTC, datetime

import dagster as dg

from orchestration.resources import TidemarkResource
from reporting import weekly
from reporting.periods import previous_iso_week
from reporting.registry import register


@dg.asset(
    key=["reports", "weekly_performance"],
    group_name="reports",
    deps=[dg.AssetKey(["ops", "quality_gate"])],
    description="Weekly performance report (previous ISO week, workspace time zone) as CSV + JSON.",
    kinds={"csv", "json"},
)
def weekly_performance_report(context: dg.AssetExecutionContext, tidemark: TidemarkResource):
    runtime = tidemark.runtime()
    settings, workspace = runtime.settings, runtime.workspace
    period = previous_iso_week(settings.now(), workspace.workspace.timezone)
    generated_at = datetime.now(UTC)
    with runtime.connect() as conn:
        data = weekly.collect(conn, period)
        meta = weekly.generated_meta(workspace.workspace.id, period, generated_at, context.run_id)
        directory = settings.reports_dir / workspace.workspace.id / "weekly_performance" / period.label
        written = weekly.write(data, meta, directory)
        register(conn, report_id=f"{workspace.workspace.id}:weekly_performance:{period.label}",
                 name="weekly_performance", report_type="performance", period=period,
                 platforms=sorted({row["platform"] for row in data["platforms"]}), filters={}, written=written,
                 generated_at=generated_at, retention_days=settings.report_retention_days, run_id=context.run_id,
                 checks_passed=["ops/quality_gate"])
    return dg.MaterializeResult(metadata={
        "period": f"{period.start}..{period.end}",
        "directory": dg.MetadataValue.path(str(written.directory)),
        "files": dg.MetadataValue.json(written.files),
        "views": data["totals"]["views"],
        "engagements": data["totals"]["engagements"],
        "engagement_rate_pct": data["totals"]["engagement_rate"],
    })
