"""`marts/mart_recycling_candidates`: older posts worth posting again, scored after every transform.

The settings (`insights: recycling:` of tidemark.yaml) were validated when the workspace loaded; the
recycled list is checked against marts.dim_posts before any scoring, so a bad entry fails the asset
with a message naming it and the mart keeps its previous rows. Dates come from the run's clock
(TIDEMARK_SIM_NOW pins it): a rerun on the same data writes the same rows.
"""

import time

import dagster as dg
import pandas as pd

from insights.recycling import recycle
from orchestration.insights.common import made_on
from orchestration.resources import Tidemark

RECYCLING = dg.AssetKey(["marts", "mart_recycling_candidates"])
INPUTS = [dg.AssetKey(["marts", "dim_posts"]), dg.AssetKey(["marts", "fct_post_metrics_daily"]),
          dg.AssetKey(["marts", "mart_content_performance"])]


@dg.asset(key=RECYCLING, group_name="insights_marts", deps=INPUTS, kinds={"python", "postgres"},
          description="Content recycling candidates: per account, the posts older than min_age_days with the best "
                      "evergreen score (engagement percentile, views still arriving, no dated words, time since "
                      "it last ran), each part, the parts missing and the reason (docs/insights-recycling.md).")
def mart_recycling_candidates(context: dg.AssetExecutionContext, tidemark: Tidemark) -> dg.MaterializeResult:
    runtime = tidemark.runtime()
    started = time.monotonic()
    settings = runtime.workspace.insights.recycling
    with runtime.connect() as conn:
        rows = recycle(conn, settings, made_on(runtime), runtime.settings.now())
    accounts = rows.groupby(["platform", "account_id"]).ngroups if not rows.empty else 0
    context.log.info(f"Recycling: {len(rows)} candidate(s) for {accounts} account(s)")
    return dg.MaterializeResult(metadata={
        "candidates": len(rows),
        "accounts": accounts,
        "top": dg.MetadataValue.md(_table(rows)),
        "seconds": round(time.monotonic() - started, 2),
    })


def _table(rows: pd.DataFrame) -> str:
    if rows.empty:
        return "No post old enough to recycle."
    lines = ["| account | rank | post | score | reason |", "|---|---|---|---|---|"]
    for row in rows[rows["rank_in_account"] <= 3].itertuples(index=False):
        lines.append(f"| {row.platform}/{row.account_id} | {row.rank_in_account} | {(row.title or row.post_id)[:40]} | "
                     f"{row.score:.2f} | {row.reason} |")
    return "\n".join(lines)


RECYCLING_ASSETS: list = [mart_recycling_candidates]
