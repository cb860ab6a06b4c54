"""Competitor benchmarking in Dagster: `raw/competitor_snapshots` (each listed competitor's public
numbers, fetched through the platform APIs) and `marts/mart_competitor_benchmarks` (own accounts vs
competitors per ISO week and month).

Both run in the transform job (insights ASSETS), once per pipeline run: the platforms' ingestion
jobs stay one per platform and untouched, and the snapshot is taken right before the mart reads it.
A competitor that is not found (deleted, renamed) or fails does not fail the asset: a warning names
it and ops.competitor_status keeps the reason (docs/insights-benchmarks.md).
"""

import dagster as dg

from ingestion.competitors import run_competitors
from ingestion.registry import all_raw_tables
from insights.benchmarks import build_benchmarks
from orchestration.insights.common import made_on
from orchestration.resources import Tidemark

SNAPSHOTS = dg.AssetKey(["raw", "competitor_snapshots"])
BENCHMARKS = dg.AssetKey(["marts", "mart_competitor_benchmarks"])
OWN = [dg.AssetKey(["marts", name]) for name in ("dim_accounts", "mart_content_performance",
                                                  "fct_account_metrics_daily")]


@dg.asset(key=SNAPSHOTS, group_name="social_raw", kinds={"python", "postgres"},
          description="raw.competitor_snapshots: the public numbers of the competitors listed in tidemark.yaml "
                      "(one snapshot per competitor and run; status in ops.competitor_status).")
def competitor_snapshots(context: dg.AssetExecutionContext, tidemark: Tidemark) -> dg.MaterializeResult:
    runtime = tidemark.runtime()
    runtime.prepare_warehouse(all_raw_tables())  # ops tables (quota, ...) the platform clients use
    outcome = run_competitors(runtime, context.run_id)
    for warning in outcome.warnings:
        context.log.warning(warning)
    statuses = [r.status for r in outcome.results]
    return dg.MaterializeResult(metadata={
        "competitors": len(statuses), "not_found": statuses.count("not_found"), "errors": statuses.count("error"),
        "warnings": dg.MetadataValue.json(outcome.warnings),
    })


@dg.asset(key=BENCHMARKS, group_name="insights_marts", deps=[SNAPSHOTS, *OWN], kinds={"python", "postgres"},
          description="Own accounts vs competitors per ISO week and month: followers and growth (NULL until two "
                      "observations), posts per week, engagement per post and per follower on public counts, "
                      "format mix, status (docs/insights-benchmarks.md).")
def mart_competitor_benchmarks(context: dg.AssetExecutionContext, tidemark: Tidemark) -> dg.MaterializeResult:
    runtime = tidemark.runtime()
    with runtime.connect() as conn:
        frame = build_benchmarks(conn, made_on(runtime), runtime.settings.now())
    rivals = frame[frame.is_competitor] if not frame.empty else frame
    context.log.info(f"competitor benchmarks: {len(frame)} rows, {rivals.account_id.nunique()} competitors")
    return dg.MaterializeResult(metadata={
        "rows": len(frame), "competitors": int(rivals.account_id.nunique()),
        "disappeared": dg.MetadataValue.json(sorted(set(rivals[rivals.status != "ok"].account_id))),
    })


BENCHMARK_ASSETS: list = [competitor_snapshots, mart_competitor_benchmarks]
