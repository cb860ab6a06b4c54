"""Generate one report: validate, collect once, render every format, swap the files in.

Files are written into a temporary directory next to the target and swapped in at the end, so a
failure (limit hit, crash) never leaves half a report and the previous files of that period stay.
The directory is named by report and period: re-running a period replaces only its own files.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from importlib.metadata import version
from pathlib import Path

from reporting.collect import ReportData, Scope, collect
from reporting.config import Branding
from reporting.insights import summary_text
from reporting.limits import Budget
from reporting.periods import Period
from reporting.render_csv import export_daily_rows, write_tables
from reporting.render_json import write_json
from reporting.render_pdf import build_pdf

REPORT_FORMAT_VERSION = "3"
TITLES = {"performance": "performance report", "growth": "growth report", "comparison": "platform comparison report",
          "custom": "custom report"}


@dataclass(frozen=True)
class ReportRequest:
    name: str
    report_type: str
    period: Period
    directory: Path
    workspace_id: str
    workspace_name: str
    timezone: str
    run_id: str
    generated_at: datetime
    scope: Scope = field(default_factory=Scope)
    metrics: list[str] | None = None
    formats: tuple[str, ...] = ("csv", "json", "pdf")
    branding: Branding = field(default_factory=Branding)
    filters: dict = field(default_factory=dict)

    @property
    def title(self) -> str:
        cadence = self.name.split("_", 1)[0] if self.name.startswith(("weekly_", "monthly_")) else ""
        kind = TITLES[self.report_type]
        return f"{cadence.capitalize()} {kind}" if cadence else f"{self.name.replace('_', ' ').capitalize()} ({kind})"


@dataclass(frozen=True)
class Generated:
    data: ReportData
    directory: Path
    files: dict[str, str]
    sizes: dict[str, int]
    summary: str

    @property
    def size_bytes(self) -> int:
        return sum(self.sizes.values())


def metadata(request: ReportRequest) -> dict:
    return {
        "report": request.name, "title": request.title, "report_type": request.report_type,
        "workspace": request.workspace_id, "workspace_name": request.workspace_name, "timezone": request.timezone,
        "period_start": request.period.start.isoformat(), "period_end": request.period.end.isoformat(),
        "previous_period_start": request.period.previous().start.isoformat(),
        "previous_period_end": request.period.previous().end.isoformat(),
        "filters": request.filters, "generated_at": request.generated_at.isoformat(), "run_id": request.run_id,
        "formats": list(request.formats),
        "units": {"watch_time_minutes": "minutes", "engagement_rate": "percent", "change_pct": "percent"},
        "views": {"activity": "Activity in the period: what happened on the period's days (account-level daily "
                              "reports; complete days only)",
                  "content": "Content published in the period: lifetime results, as of the last sync, of the "
                             "posts published in the period"},
        "versions": {"report_format": REPORT_FORMAT_VERSION, "tidemark": _version("tidemark", version),
                     "matplotlib": _version("matplotlib", version), "reportlab": _version("reportlab", version)},
    }


def _version(package: str, version) -> str:
    try:
        return version(package)
    except Exception:  # noqa: BLE001 - a missing dist-info must not stop a report
        return "unknown"


def generate(conn, request: ReportRequest, budget: Budget) -> Generated:
    """Collect once, render each requested format, then swap the period's directory in."""
    meta = metadata(request)
    request.directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".tmp-{request.period.label}-", dir=request.directory.parent))
    try:
        data = collect(conn, request.report_type, request.period, request.scope, request.metrics, budget)
        summary = summary_text(data, f"{request.title}", request.workspace_name)
        if "csv" in request.formats:
            write_tables(data, meta, staging, budget)
            export_daily_rows(conn, request.scope.params(request.period), staging, budget)
        conn.commit()  # end of the read snapshot
        if "json" in request.formats:
            write_json(data, meta, summary, staging, budget)
        if "pdf" in request.formats:
            build_pdf(data, meta, request.branding, staging / "report.pdf", budget)
        (staging / "summary.txt").write_text(summary + "\n")
        _swap(staging, request.directory)
    except BaseException:
        conn.rollback()
        shutil.rmtree(staging, ignore_errors=True)
        raise
    paths = sorted(request.directory.iterdir())
    return Generated(data, request.directory, {p.name: str(p) for p in paths},
                     {p.name: p.stat().st_size for p in paths}, summary)


def _swap(staging: Path, directory: Path) -> None:
    """Replace the period's directory by the new one (rename is atomic on one file system)."""
    if directory.exists():
        old = directory.with_name(f".old-{directory.name}-{os.getpid()}")
        os.replace(directory, old)
        os.replace(staging, directory)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(staging, directory)
