"""`marts/mart_roi`: what the content cost (costs.yaml) against what it earned (the marts), per month.

costs.yaml is checked whole — its shape, its accounts against tidemark.yaml, its campaign posts
against marts.dim_posts — before any row is written: a bad entry fails the asset with a message
naming the entry's index and field, and the previous mart stays. Rows: per account, per platform
(the accounts with declared costs) and per campaign, one per currency (docs/insights-roi.md).
"""

import time

import dagster as dg
import pandas as pd

from insights.roi import load_costs, run_roi
from insights.roi.config import declared_workspace
from orchestration.resources import Tidemark

ROI = dg.AssetKey(["marts", "mart_roi"])
INPUTS = [dg.AssetKey(["marts", "dim_posts"]), dg.AssetKey(["marts", "fct_account_metrics_daily"]),
          dg.AssetKey(["marts", "fct_post_metrics_daily"])]


def workspace_accounts(workspace) -> dict[str, set[str]]:
    return {platform: {a.id for a in workspace.accounts(platform)} for platform in workspace.platforms}


@dg.asset(key=ROI, group_name="insights_marts", deps=INPUTS, kinds={"python", "postgres"},
          description="Cost per 1,000 views, per engagement and per follower gained, per month, by account, platform "
                      "and campaign, from the costs declared in costs.yaml (fixed, per post, ad spend; one row per "
                      "currency) and the complete days of the marts; NULL where no cost is declared "
                      "(docs/insights-roi.md).")
def mart_roi(context: dg.AssetExecutionContext, tidemark: Tidemark) -> dg.MaterializeResult:
    runtime = tidemark.runtime()
    started = time.monotonic()
    workspace = runtime.workspace
    # costs.yaml is one workspace's (its `workspace:`, else the first); a file naming no workspace of this
    # deployment is not applied (load_costs says so)
    declared = declared_workspace()
    tenant = workspace.tenant(declared) if declared in workspace.workspace_ids() else workspace.workspace
    costs = load_costs(workspace_accounts(tenant), tenant.id)  # a bad file fails here
    costs = costs.model_copy(update={"workspace": tenant.id})  # no file: that workspace's rows, costs NULL
    with runtime.connect() as conn:
        rows = run_roi(conn, costs, runtime.settings.now())
    counts = rows["row_type"].value_counts().to_dict() if not rows.empty else {}
    context.log.info(f"ROI: {len(costs.entries)} cost entries from {costs.source}; rows {counts}"
                     + (f"; {costs.skipped}" if costs.skipped else ""))
    return dg.MaterializeResult(metadata={
        "cost_entries": len(costs.entries), "source": costs.source, "skipped": costs.skipped or "",
        "rows": dg.MetadataValue.json(counts),
        "platforms": dg.MetadataValue.md(_table(rows)),
        "seconds": round(time.monotonic() - started, 2),
    })


def _table(rows: pd.DataFrame) -> str:
    platforms = rows[rows["row_type"] == "platform"] if not rows.empty else rows
    if platforms.empty:
        return "No account data yet."
    lines = ["| month | platform | currency | total cost | cost / 1k views | cost / engagement | cost / follower |"
             " accounts without cost |", "|---|---|---|---|---|---|---|---|"]
    for row in platforms.itertuples(index=False):
        lines.append(f"| {row.month:%Y-%m} | {row.platform} | {_text(row.currency)} | {_num(row.total_cost)} | "
                     f"{_num(row.cost_per_1000_views)} | {_num(row.cost_per_engagement)} | "
                     f"{_num(row.cost_per_follower)} | {int(row.accounts_without_cost)} |")
    return "\n".join(lines)


def _num(value) -> str:
    return "—" if pd.isna(value) else f"{value:,.2f}"


def _text(value) -> str:
    return "—" if pd.isna(value) else str(value)


ROI_ASSETS: list = [mart_roi]
