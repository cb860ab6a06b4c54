"""Publishing one community report through the report system: gate, collect, render (temporary
directory, swapped in), register in ops.analytics_reports, deliver the summary — the same steps
and modules as `reporting.run.publish_report`, with the community's own data and formats.

The gate is the community's: the latest result of every blocking check on a community asset (its
raw tables, its dbt models and their tests; `asset_keys`, given by orchestration) must pass. A
failing social check does not hold a community report back, nor the reverse.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from importlib.metadata import version
from pathlib import Path

from expectations.gate import failing_blocking_checks
from reporting.community import collect as community_collect
from reporting.community import pdf, render
from reporting.config import ReportConfigError, load_reports_config
from reporting.delivery import deliver
from reporting.generate import _swap, _version
from reporting.limits import Budget
from reporting.registry import record_deliveries, register, report_id
from reporting.run import GateClosed, _branding

GATE = "community checks"
REPORT_FORMAT_VERSION = "1"


@dataclass(frozen=True)
class CommunityPublished:
    data: community_collect.CommunityReportData
    directory: Path
    files: dict[str, str]
    sizes: dict[str, int]
    summary: str
    seconds: float
    deliveries: list[dict]

    @property
    def size_bytes(self) -> int:
        return sum(self.sizes.values())


def community_gate(conn, asset_keys: set[str]) -> list[dict]:
    """The failing blocking checks of the community's assets."""
    return [row for row in failing_blocking_checks(conn) if row["asset_key"] in asset_keys]


def _metadata(kind: str, period, runtime, run_id: str, generated_at: datetime, formats: list[str]) -> dict:
    workspace = runtime.workspace
    owner = workspace.community_workspace()  # the community is one workspace's
    return {"report": kind, "title": community_collect.KINDS[kind].title, "report_type": kind,
            "description": community_collect.KINDS[kind].description, "workspace": owner.id,
            "workspace_name": owner.name, "timezone": "UTC (the community marts' days)",
            "local_timezone": owner.timezone,  # weekday / hour_of_day of the activity tables
            "period_start": period.start.isoformat(), "period_end": period.end.isoformat(),
            "report_day": period.end.isoformat(), "generated_at": generated_at.isoformat(), "run_id": run_id,
            "formats": formats, "contains_simulated_data": workspace.community_simulated(),
            "versions": {"report_format": REPORT_FORMAT_VERSION, "tidemark": _version("tidemark", version)}}


def publish_community_report(runtime, kind: str, day: date, run_id: str, asset_keys: set[str],
                             partition_key: str | None = None, log: Callable[[str], None] = print) -> CommunityPublished:
    """Write `kind` for the report day `day`. Raises ReportConfigError (no community, a day not over
    yet), GateClosed or ReportLimitError — in each case with nothing written."""
    settings, workspace = runtime.settings, runtime.workspace
    if workspace.community is None:
        raise ReportConfigError("tidemark.yaml has no community section")
    owner = workspace.community_workspace()
    today = settings.now().astimezone(UTC).date()
    if day >= today:
        raise ReportConfigError(f"report day {day} is not over yet (today is {today} UTC)")
    config = load_reports_config()
    formats = list(config.scheduled.formats)
    budget = Budget(kind, int(config.limits.max_report_mb * 1_000_000), config.limits.max_seconds)
    period = community_collect.period_for(kind, day)
    generated_at = datetime.now(UTC)
    meta = _metadata(kind, period, runtime, run_id, generated_at, formats)
    directory = settings.reports_dir / owner.id / kind / period.label
    with runtime.connect() as conn:
        failing = community_gate(conn, asset_keys)
        if failing:
            raise GateClosed(failing)
        data, summary = _generate(conn, kind, period, meta, formats, _branding(config.branding), directory, budget)
        files = {p.name: str(p) for p in sorted(directory.iterdir())}
        sizes = {p.name: p.stat().st_size for p in sorted(directory.iterdir())}
        written = CommunityPublished(data, directory, files, sizes, summary, 0, [])
        rid = report_id(owner.id, kind, period)
        register(conn, report_id=rid, name=kind, report_type=kind, period=period, platforms=["community"],
                 filters={"communities": [c["community_id"] for c in data.communities]}, written=written,
                 generated_at=generated_at, formats=formats, run_id=run_id, checks_passed=[GATE],
                 retention_days=config.limits.retention_days or settings.report_retention_days,
                 partition_key=partition_key)
        outcomes = deliver(kind, summary, config.delivery, runtime.redactor, log=log, workspace=owner.id)
        if outcomes:
            record_deliveries(conn, rid, outcomes)
    return replace(written, seconds=round(budget.max_seconds - budget.seconds_left(), 2), deliveries=outcomes)


def _generate(conn, kind, period, meta, formats, branding, directory: Path, budget):
    """Collect once, render each format into a temporary directory, swap it in (as `reporting.generate`)."""
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".tmp-{period.label}-", dir=directory.parent))
    try:
        data = community_collect.collect(conn, kind, period, budget)
        conn.commit()  # end of the read snapshot
        summary = render.summary_text(data, meta)
        if "csv" in formats:
            render.write_csv(data, meta, staging, budget)
        if "json" in formats:
            render.write_json(data, meta, summary, staging, budget)
        if "pdf" in formats:
            pdf.build_pdf(data, meta, branding, staging / "report.pdf", budget)
        (staging / "summary.txt").write_text(summary + "\n")
        _swap(staging, directory)
    except BaseException:
        conn.rollback()
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return data, summary
