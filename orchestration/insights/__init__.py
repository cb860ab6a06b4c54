"""The insights domain in Dagster: after each transform, the viral and drop alerts (ops/alerts),
the forecasts, the anomalies and the A/B tests (marts). `defs()` returns all of it; the root merges it beside
`social` and `community` and runs it in the transform job: the marts before the quality gate (the
reports chart them), the alerts straight after the facts (a broken connection matters most when
checks fail)."""

import dagster as dg

from orchestration.insights.abtests import AB_ASSETS
from orchestration.insights.alerts import ALERT_ASSETS, ALERT_CHECKS
from orchestration.insights.anomalies import mart_anomalies
from orchestration.insights.benchmarks import BENCHMARK_ASSETS
from orchestration.insights.forecasts import mart_forecasts
from orchestration.insights.recommendations import RECOMMENDATION_ASSETS
from orchestration.insights.recycling import RECYCLING_ASSETS
from orchestration.insights.roi import ROI_ASSETS

ASSETS = [mart_forecasts, mart_anomalies, *ALERT_ASSETS, *AB_ASSETS, *RECOMMENDATION_ASSETS, *RECYCLING_ASSETS,
          *ROI_ASSETS, *BENCHMARK_ASSETS]


def defs() -> dg.Definitions:
    return dg.Definitions(assets=ASSETS, asset_checks=ALERT_CHECKS)
