"""Publishing one report, in order: validate, check the gate, generate, register, deliver.

Validation (reports.yaml, workspace accounts, history) comes first and touches nothing. The gate
is re-read here rather than trusted from the graph: a partition re-run from the UI does not
re-materialize the gate asset, yet must not publish numbers that failed a blocking check.
Orchestration only wraps this in assets and schedules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from expectations.gate import failing_blocking_checks
from reporting.collect import Scope
from reporting.config import Branding, ReportConfigError, ReportSpec, config_path, load_reports_config
from reporting.delivery import deliver
from reporting.generate import Generated, ReportRequest, generate
from reporting.limits import Budget
from reporting.periods import Period
from reporting.registry import record_deliveries, register, report_id
from reporting.validate import check_request

GATE = "ops/quality_gate"


class GateClosed(Exception):
    """Blocking data-quality checks are failing: nothing is written, the previous report stays."""

    def __init__(self, failing: list[dict]):
        super().__init__(f"{len(failing)} blocking check(s) failing")
        self.failing = failing


@dataclass(frozen=True)
class Published:
    report: Generated
    period: Period
    seconds: float
    deliveries: list[dict]


def _scope(spec: ReportSpec, tenant) -> Scope:
    f = spec.filters
    competitors = sorted({c for p in tenant.platforms.values() if p.enabled for c in p.competitors})
    return Scope(platforms=spec.platforms or None, accounts=spec.accounts or None,
                 post_formats=f.post_formats or None, hashtags=f.hashtags or None, min_views=f.min_views,
                 top_n=spec.top_n, workspace=tenant.id, competitors=competitors)


def _filters(spec: ReportSpec) -> dict:
    return {"platforms": spec.platforms, "accounts": spec.accounts, **spec.filters.model_dump(),
            "metrics": spec.metrics, "date_range": spec.date_range if spec.is_relative else
            spec.date_range.model_dump(mode="json")}


def _branding(branding: Branding) -> Branding:
    if branding.logo_path is not None and not branding.logo_path.is_absolute():
        return branding.model_copy(update={"logo_path": config_path().parent / branding.logo_path})
    return branding


def publish_report(runtime, tenant, spec: ReportSpec, period: Period, run_id: str, partition_key: str | None = None,
                   log: Callable[[str], None] = print) -> Published:
    """Generate `spec` for `period` of one workspace (`tenant`, an entry of tidemark.yaml's workspaces):
    only its accounts' rows, under reports/<workspace>/. Raises ReportConfigError (bad request),
    GateClosed or ReportLimitError (too large / too slow) — in each case with nothing written."""
    settings = runtime.settings
    config = load_reports_config()
    today = settings.now().astimezone(ZoneInfo(tenant.timezone)).date()
    check_request(spec, period, tenant, settings.history_start, today)
    limits = config.limits_for(spec)
    budget = Budget(spec.name, int(limits.max_report_mb * 1_000_000), limits.max_seconds)
    generated_at = datetime.now(UTC)
    request = ReportRequest(
        name=spec.name, report_type=spec.type, period=period, workspace_id=tenant.id,
        directory=settings.reports_dir / tenant.id / spec.name / period.label,
        workspace_name=tenant.name, timezone=tenant.timezone, run_id=run_id,
        generated_at=generated_at, scope=_scope(spec, tenant), metrics=spec.metrics, formats=tuple(spec.formats),
        branding=_branding(config.branding), filters=_filters(spec))
    rid = report_id(tenant.id, spec.name, period)
    with runtime.connect() as conn:
        failing = failing_blocking_checks(conn)
        if failing:
            raise GateClosed(failing)
        report = generate(conn, request, budget)
        platforms = sorted({row["platform"] for row in report.data.coverage["rows"]})
        register(conn, report_id=rid, name=spec.name, report_type=spec.type, period=period, platforms=platforms,
                 filters=request.filters, written=report, generated_at=generated_at, formats=list(spec.formats),
                 retention_days=limits.retention_days or settings.report_retention_days, run_id=run_id,
                 checks_passed=[GATE], partition_key=partition_key)
        outcomes = deliver(spec.name, report.summary, config.delivery, runtime.redactor, log=log, workspace=tenant.id)
        if outcomes:
            record_deliveries(conn, rid, outcomes)
    return Published(report, period, round(budget.max_seconds - budget.seconds_left(), 2), outcomes)


STANDARD = tuple(f"{cadence}_{kind}" for cadence in ("weekly", "monthly")
                 for kind in ("performance", "growth", "comparison"))


def report_workspaces(workspace, spec: ReportSpec, only: str | None = None) -> list:
    """The workspaces that get `spec`, each its own report: those whose `reports:` names it (all when
    unset); a report naming accounts goes to the one workspace holding them. `only`: a run scoped to
    one workspace (the run tag tidemark/workspace)."""
    known = {*STANDARD, *(s.name for s in load_reports_config().custom)}
    problems = [f"workspaces.{n}.reports: unknown report(s) {', '.join(sorted(set(ws.reports) - known))} "
                f"(known: {', '.join(sorted(known))})"
                for n, ws in enumerate(workspace.workspaces) if ws.reports and set(ws.reports) - known]
    if only is not None and only not in workspace.workspace_ids():
        problems.append(f"run tag tidemark/workspace={only!r}: not a workspace; known: "
                        f"{', '.join(workspace.workspace_ids())}")
    holders = sorted({ws.id for ws in workspace.workspaces for platform in ws.platforms
                      for account in ws.accounts(platform) if account.id in spec.accounts})
    if len(holders) > 1:
        problems.append(f"report {spec.name!r}: its accounts are in workspaces {', '.join(holders)}; a report "
                        "covers one workspace")
    if problems:
        raise ReportConfigError("\n".join(problems))
    chosen = [ws for ws in workspace.workspaces if (ws.reports is None or spec.name in ws.reports)
              and (only is None or ws.id == only)]
    if spec.accounts:  # none held anywhere: the first workspace's check names the unknown accounts
        chosen = [ws for ws in chosen if ws.id in holders] if holders else chosen[:1]
    return chosen


def anchor_after(period: Period):
    """The day after a partition: relative ranges of custom reports are seen from there."""
    return period.end + timedelta(days=1)
