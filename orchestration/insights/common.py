"""What the insight assets share: their inputs (the facts) and the run's date."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import dagster as dg

FACTS = [dg.AssetKey(["marts", "fct_account_metrics_daily"]), dg.AssetKey(["marts", "fct_post_metrics_daily"])]
INPUTS = [*FACTS, dg.AssetKey(["marts", "mart_community_daily"])]


def made_on(runtime) -> date:
    """Today in the workspace's time zone: the day a forecast is made, and the first day not complete."""
    return runtime.settings.now().astimezone(ZoneInfo(runtime.workspace.workspace.timezone)).date()
