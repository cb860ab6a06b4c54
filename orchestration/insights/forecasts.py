"""`marts/mart_forecasts`: every account × metric (and community DAU, joins) forecast after each
transform, by the same engine `tidemark insights forecast` runs (insights/forecast/)."""


import time
import warnings

import dagster as dg
import pandas as pd

from expectations.results import record_check
from insights.checks import band_violations, missing_forecasts
from insights.forecast import ForecastSettings, forecast
from insights.warehouse import read_account_series, read_community_series, write_forecasts
from orchestration.insights.common import INPUTS, made_on
from orchestration.resources import Tidemark

FORECASTS = dg.AssetKey(["marts", "mart_forecasts"])
SETTINGS = ForecastSettings()


def read_series(runtime, conn) -> pd.DataFrame:
    return pd.concat([read_account_series(conn), read_community_series(conn, made_on(runtime))], ignore_index=True)


CHECKS = [
    dg.AssetCheckSpec("forecast_bands_nested", asset=FORECASTS, blocking=True,
                      description="Every forecast day has 0 ≤ lower_95 ≤ lower_80 ≤ point ≤ upper_80 ≤ upper_95."),
    dg.AssetCheckSpec("forecast_every_series", asset=FORECASTS, blocking=True,
                      description="Every series with the minimum history has a forecast for each of the 90 days."),
]


@dg.asset(key=FORECASTS, group_name="insights_marts", deps=INPUTS, kinds={"python", "postgres"}, check_specs=CHECKS,
          description="7/30/90-day forecasts with 80 % and 95 % intervals of every account's followers, views and "
                      "engagements and every community's DAU and joins, the model chosen per series by a rolling-"
                      "origin backtest (docs/insights.md).")
def mart_forecasts(context: dg.AssetExecutionContext, tidemark: Tidemark) -> dg.MaterializeResult:
    runtime = tidemark.runtime()
    started = time.monotonic()
    with runtime.connect() as conn:
        series = read_series(runtime, conn)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = forecast(series, SETTINGS) if not series.empty else series.iloc[0:0]
        rows = write_forecasts(conn, result, made_on(runtime))
        bad = band_violations(result)
        holes = missing_forecasts(series, result, SETTINGS.min_history_days, SETTINGS.horizon)
        with conn.cursor() as cur:
            for name, failed in (("forecast_bands_nested", len(bad)), ("forecast_every_series", len(holes))):
                record_check(cur, context.run.run_id, name, FORECASTS.to_user_string(), passed=not failed,
                             severity="error", failed_rows=failed,
                             details={"examples": (holes or bad.get("series_id", []).tolist())[:5]})
        conn.commit()
    first = result.drop_duplicates("series_id") if not result.empty else result
    models = first["model"].value_counts().to_dict() if not first.empty else {}
    context.log.info(f"forecasts: {first.shape[0]} of {series.series_id.nunique()} series, models {models}")
    return dg.MaterializeResult(
        metadata={"rows": rows, "series": series.series_id.nunique(), "series_forecast": len(first),
                  "models": dg.MetadataValue.json(models), "seconds": round(time.monotonic() - started, 2)},
        check_results=[
            dg.AssetCheckResult(check_name="forecast_bands_nested", passed=bad.empty, metadata={"rows": len(bad)}),
            dg.AssetCheckResult(check_name="forecast_every_series", passed=not holes,
                                metadata={"series_without_forecast": dg.MetadataValue.json(holes[:20])}),
        ],
    )

