"""`marts/mart_insights`: the recommendations with their confidence (docs/insights-recommendations.md),
rebuilt after every transform from the post, audience, anomaly and forecast marts."""

import time

import dagster as dg

from insights.recommend import recommend_all
from orchestration.insights.common import made_on
from orchestration.resources import Tidemark

INSIGHTS = dg.AssetKey(["marts", "mart_insights"])
INPUTS = [dg.AssetKey(["marts", name]) for name in ("dim_posts", "mart_content_performance",
                                                    "mart_audience_demographics", "mart_anomalies",
                                                    "mart_forecasts")]


@dg.asset(key=INSIGHTS, group_name="insights_marts", deps=INPUTS, kinds={"python", "postgres"},
          description="Recommendations with a calibrated confidence: best posting time, trending hashtags, "
                      "audience shifts, formats and lengths, posting frequency, over/under-performing posts, "
                      "growth milestones; each with its evidence, method, confidence and validity "
                      "(docs/insights-recommendations.md).")
def mart_insights(context: dg.AssetExecutionContext, tidemark: Tidemark) -> dg.MaterializeResult:
    runtime = tidemark.runtime()
    started = time.monotonic()
    with runtime.connect() as conn:
        frame = recommend_all(conn, made_on(runtime), runtime.settings.now())
    counts = frame.groupby(["insight_type", "confidence_label"]).size()
    summary = {f"{kind}/{label}": int(n) for (kind, label), n in counts.items()}
    context.log.info(f"Recommendations: {len(frame)} insights {summary}")
    return dg.MaterializeResult(metadata={"insights": len(frame), "by_type_and_label": dg.MetadataValue.json(summary),
                                          "seconds": round(time.monotonic() - started, 2)})


RECOMMENDATION_ASSETS: list = [mart_insights]
