"""Checks of one report request against the workspace, run before any query.

Each problem gets its own line naming the report and the key; they are all reported at once
so one edit of reports.yaml fixes them all.
"""

from __future__ import annotations

from datetime import date

from reporting.config import ReportConfigError, ReportSpec
from reporting.periods import Period


def workspace_accounts(workspace) -> dict[str, set[str]]:
    """Platform → account ids of one workspace (tidemark.yaml's entry; enabled platforms only)."""
    return {platform: {a.id for a in workspace.accounts(platform)} for platform in workspace.platforms
            if workspace.accounts(platform)}


def check_request(spec: ReportSpec, period: Period, workspace, history_start: date, today: date) -> None:
    """Raise ReportConfigError listing every problem of `spec` for `period` in `workspace` (one entry of
    tidemark.yaml's workspaces)."""
    known = workspace_accounts(workspace)
    problems = []
    missing = [p for p in spec.platforms if p not in known]
    if missing:
        problems.append(f"platforms: {', '.join(missing)} not connected in workspace "
                        f"{workspace.id!r} (connected: {', '.join(sorted(known)) or 'none'})")
    scope = {a for p in (spec.platforms or known) for a in known.get(p, ())}
    unknown = [a for a in spec.accounts if a not in scope]
    if unknown:
        where = f"platforms {', '.join(spec.platforms)}" if spec.platforms else f"workspace {workspace.id!r}"
        problems.append(f"accounts: unknown account(s) {', '.join(unknown)} in {where} (accounts come from "
                        "tidemark.yaml)")
    if period.start < history_start:
        problems.append(f"date_range: starts {period.start}, before the retained history "
                        f"(TIDEMARK_HISTORY_START={history_start})")
    if period.end > today:
        problems.append(f"date_range: ends {period.end}, after today ({today}); no data exists yet")
    if problems:
        raise ReportConfigError(f"Report {spec.name!r} cannot run:\n  " + "\n  ".join(problems))


def checked_period(start: date, end: date) -> Period:
    """A Period, with the end-before-start mistake turned into a configuration error."""
    try:
        return Period(start, end)
    except ValueError as error:
        raise ReportConfigError(f"date_range: {error}") from None
