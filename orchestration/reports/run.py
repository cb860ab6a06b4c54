"""What every report asset does, in order: validate, check the gate, generate, register, deliver.

Validation (reports.yaml, workspace accounts, history) comes first and touches nothing. The gate
is re-read here rather than trusted from the graph: a partition re-run from the UI does not
re-materialize `ops/quality_gate`, yet must not publish numbers that failed a blocking check.
"""

from datetime import UTC, datetime, timedelta

import dagster as dg

from orchestration.quality.gate import failing_blocking_checks
from reporting.collect import Scope
from reporting.config import ReportSpec, load_reports_config
from reporting.delivery import deliver
from reporting.generate import ReportRequest, generate
from reporting.limits import Budget, ReportLimitError
from reporting.periods import Period
from reporting.registry import record_deliveries, register, report_id
from reporting.validate import check_request

GATE = "ops/quality_gate"


def gate_failure(failing: list[dict]) -> dg.Failure:
    lines = [f"{row['check_name']} on {row['asset_key']} ({row['failed_rows']} rows, run {str(row['run_id'])[:8]})"
             for row in failing]
    return dg.Failure(
        description="Blocking data-quality checks are failing; no report is generated:\n- " + "\n- ".join(lines),
        metadata={"failing_checks": dg.MetadataValue.json([row["check_name"] for row in failing])},
    )


def _scope(spec: ReportSpec) -> Scope:
    f = spec.filters
    return Scope(platforms=spec.platforms or None, accounts=spec.accounts or None,
                 post_formats=f.post_formats or None, hashtags=f.hashtags or None, min_views=f.min_views,
                 top_n=spec.top_n)


def _filters(spec: ReportSpec) -> dict:
    return {"platforms": spec.platforms, "accounts": spec.accounts, **spec.filters.model_dump(),
            "metrics": spec.metrics, "date_range": spec.date_range if spec.is_relative else
            spec.date_range.model_dump(mode="json")}


def materialize_report(context, tidemark, spec: ReportSpec, period: Period, partition_key=None):
    """Generate `spec` for `period`; raise dg.Failure (nothing written) on any refusal."""
    runtime = tidemark.runtime()
    settings, workspace = runtime.settings, runtime.workspace
    config = load_reports_config()
    today = settings.now().astimezone(_tz(workspace.workspace.timezone)).date()
    check_request(spec, period, workspace, settings.history_start, today)
    limits = config.limits_for(spec)
    budget = Budget(spec.name, int(limits.max_report_mb * 1_000_000), limits.max_seconds)
    generated_at = datetime.now(UTC)
    request = ReportRequest(
        name=spec.name, report_type=spec.type, period=period, workspace_id=workspace.workspace.id,
        directory=settings.reports_dir / workspace.workspace.id / spec.name / period.label,
        workspace_name=workspace.workspace.name, timezone=workspace.workspace.timezone, run_id=context.run_id,
        generated_at=generated_at, scope=_scope(spec), metrics=spec.metrics, formats=tuple(spec.formats),
        branding=_branding(config), filters=_filters(spec))
    rid = report_id(workspace.workspace.id, spec.name, period)
    with runtime.connect() as conn:
        failing = failing_blocking_checks(conn)
        if failing:
            raise gate_failure(failing)
        try:
            report = generate(conn, request, budget)
        except ReportLimitError as error:
            raise dg.Failure(description=str(error)) from None
        platforms = sorted({row["platform"] for row in report.data.tables.get("platforms", [])})
        register(conn, report_id=rid, name=spec.name, report_type=spec.type, period=period, platforms=platforms,
                 filters=request.filters, written=report, generated_at=generated_at, formats=list(spec.formats),
                 retention_days=limits.retention_days or settings.report_retention_days, run_id=context.run_id,
                 checks_passed=[GATE], partition_key=partition_key)
        outcomes = deliver(spec.name, report.summary, config.delivery, runtime.redactor, log=context.log.info)
        if outcomes:
            record_deliveries(conn, rid, outcomes)
    return _result(report, period, budget, outcomes)


def _result(report, period: Period, budget: Budget, outcomes: list[dict]) -> dg.MaterializeResult:
    totals = report.data.totals
    return dg.MaterializeResult(metadata={
        "period": f"{period.start}..{period.end}",
        "directory": dg.MetadataValue.path(str(report.directory)),
        "files": dg.MetadataValue.json(report.files),
        "size_bytes": report.size_bytes,
        "seconds": round(budget.max_seconds - budget.seconds_left(), 2),
        "totals": dg.MetadataValue.json(totals),
        "summary": dg.MetadataValue.md("```\n" + report.summary + "\n```"),
        "deliveries": dg.MetadataValue.json(outcomes),
    })


def _branding(config):
    from reporting.config import config_path

    branding = config.branding
    if branding.logo_path is not None and not branding.logo_path.is_absolute():
        return branding.model_copy(update={"logo_path": config_path().parent / branding.logo_path})
    return branding


def _tz(name: str):
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


def anchor_after(period: Period):
    """The day after a partition: relative ranges of custom reports are seen from there."""
    return period.end + timedelta(days=1)
