"""What the insight assets share: their inputs (the facts) and the run's date."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import dagster as dg

from reporting.config import ReportConfigError, load_reports_config
from reporting.delivery import deliver

FACTS = [dg.AssetKey(["marts", "fct_account_metrics_daily"]), dg.AssetKey(["marts", "fct_post_metrics_daily"])]
INPUTS = [*FACTS, dg.AssetKey(["marts", "mart_community_daily"])]


def made_on(runtime) -> date:
    """Today in the workspace's time zone: the day a forecast is made, and the first day not complete."""
    return runtime.settings.now().astimezone(ZoneInfo(runtime.workspace.workspace.timezone)).date()


def deliver_text(context, runtime, name: str, text: str, workspace: str | None = None) -> list[dict]:
    """Send `text` to the reports.yaml targets that take `name` (their `reports` list is empty or
    names it); one outcome per target. A broken reports.yaml is an outcome, not a failed run: what
    was to be announced is already stored."""
    try:
        targets = load_reports_config().delivery
    except ReportConfigError as error:
        return [{"target": "reports.yaml", "kind": "config", "status": "failed", "detail": str(error)}]
    return deliver(name, text, targets, redactor=runtime.redactor, log=context.log.info, workspace=workspace)
