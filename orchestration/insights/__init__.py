"""The insights domain in Dagster: forecasts and anomalies built from the marts after each
transform (and, with them, the viral and drop alerts). `defs()` returns all of it; the root merges
it beside `social` and `community` and runs it in the transform job, before the quality gate."""

import dagster as dg

from orchestration.insights.anomalies import mart_anomalies
from orchestration.insights.forecasts import mart_forecasts

ASSETS = [mart_forecasts, mart_anomalies]


def defs() -> dg.Definitions:
    return dg.Definitions(assets=ASSETS)
