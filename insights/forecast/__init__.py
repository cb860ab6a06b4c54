"""The forecaster: statsforecast candidates chosen per series by a rolling-origin backtest.

    forecast(frame, settings, nonnegative=True)  → one row per series × target day (the mart's columns)
    backtest(frame, horizon, settings)           → sMAPE / MASE / coverage per series × model

docs/insights.md ("Forecasts") explains the method; insights/metrics.py holds the formulas.
"""

from insights.forecast.engine import OUTPUT_COLUMNS, forecast
from insights.forecast.evaluate import TIDEMARK, backtest
from insights.forecast.settings import ALL_MODELS, DEFAULT_MODELS, ForecastSettings

__all__ = ["ALL_MODELS", "DEFAULT_MODELS", "OUTPUT_COLUMNS", "TIDEMARK", "ForecastSettings", "backtest", "forecast"]
