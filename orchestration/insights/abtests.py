"""`marts/mart_ab_tests`: the declared A/B tests (abtests.yaml) evaluated after every transform.

Every declaration is checked (the file, then its posts against marts.dim_posts) before any test is
evaluated: a bad one fails the asset with a message naming the test and the key. A test that
reached its verdict in this run (winner, inconclusive or insufficient sample) sends a summary to
every reports.yaml delivery target whose `reports` list is empty or names "abtests".
"""

import time

import dagster as dg
import pandas as pd

from insights.abtests import evaluate_all, load_abtests
from orchestration.insights.common import deliver_text, made_on
from orchestration.resources import Tidemark

AB_TESTS = dg.AssetKey(["marts", "mart_ab_tests"])
POSTS = [dg.AssetKey(["marts", "dim_posts"]), dg.AssetKey(["marts", "fct_post_metrics_daily"])]
DELIVERY_NAME = "abtests"  # the name a target's `reports` list must contain (or be empty) to receive summaries


@dg.asset(key=AB_TESTS, group_name="insights_marts", deps=POSTS, kinds={"python", "postgres"},
          description="The A/B tests declared in abtests.yaml: each variant's posts, trials, successes and rate, "
                      "the chi-square p-value, the lift against the control with its interval, the status "
                      "(running, winner, inconclusive, insufficient) and the sample still needed "
                      "(docs/insights-abtests.md).")
def mart_ab_tests(context: dg.AssetExecutionContext, tidemark: Tidemark) -> dg.MaterializeResult:
    runtime = tidemark.runtime()
    started = time.monotonic()
    tests = load_abtests()  # a bad file fails here, before the warehouse is touched
    with runtime.connect() as conn:
        evaluation = evaluate_all(conn, tests, made_on(runtime), runtime.settings.now())
    outcomes = {name: deliver_text(context, runtime, DELIVERY_NAME, text) for name, text in evaluation.summaries.items()}
    context.log.info(f"A/B tests: {len(tests)} evaluated, newly finished: {evaluation.newly_finished or 'none'}")
    return dg.MaterializeResult(metadata={
        "tests": len(tests),
        "newly_finished": dg.MetadataValue.json(evaluation.newly_finished),
        "results": dg.MetadataValue.md(_table(evaluation.results)),
        "deliveries": dg.MetadataValue.json(outcomes),
        "seconds": round(time.monotonic() - started, 2),
    })


def _table(results: pd.DataFrame) -> str:
    if results.empty:
        return "No A/B test declared (abtests.yaml)."
    lines = ["| test | variant | posts | trials | rate | lift vs control | p | status | winner |",
             "|---|---|---|---|---|---|---|---|---|"]
    for row in results.itertuples(index=False):
        lines.append(f"| {row.test_name} | {row.variant} | {row.posts} | {row.trials:,.0f} | {_pct(row.rate)} | "
                     f"{_pct(row.lift_vs_control)} | {'' if pd.isna(row.p_value) else f'{row.p_value:.3g}'} | "
                     f"{row.status} | {row.winner or ''} |")
    return "\n".join(lines)


def _pct(value) -> str:
    return "" if pd.isna(value) else f"{value:.2%}"


AB_ASSETS: list = [mart_ab_tests]
