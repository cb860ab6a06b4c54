"""The candidate models (statsforecast) and the two calls the forecaster makes: backtest and fit.

Each model runs in its own StatsForecast call so its fit+predict time is measured on its own.
n_jobs=1: the machine's two cores are shared with Dagster and Postgres. A model that fails on a
series falls back to the seasonal naive (statsforecast's fallback_model), which is deterministic.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Iterable

import pandas as pd
from statsforecast import StatsForecast
from statsforecast.models import AutoARIMA, AutoETS, AutoTheta, SeasonalNaive

from insights.forecast.prepare import PreparedSeries

# AutoARIMA restricted as measured in docs/insights.md: the full search costs ~0.6 s per series.
_ARIMA_LIMITS = dict(max_p=2, max_q=2, max_P=1, max_Q=1, approximation=True, nmodels=20)


def build_model(name: str, season_length: int):
    if name == "AutoETS":
        return AutoETS(season_length=season_length)
    if name == "AutoTheta":
        return AutoTheta(season_length=season_length)
    if name == "AutoARIMA":
        return AutoARIMA(season_length=season_length, **_ARIMA_LIMITS)
    if name == "SeasonalNaive":
        return SeasonalNaive(season_length=season_length)
    raise ValueError(f"unknown model {name}")


def long_frame(series: Iterable[PreparedSeries]) -> pd.DataFrame:
    """statsforecast's input: unique_id, ds, y (the filled, smoothed values)."""
    parts = [pd.DataFrame({"unique_id": s.series_id, "ds": s.ds, "y": s.fit}) for s in series]
    return pd.concat(parts, ignore_index=True)


def run_cross_validation(name: str, df: pd.DataFrame, h: int, windows: int, settings) -> tuple[pd.DataFrame, float]:
    """Rolling origin: `windows` non-overlapping test blocks of `h` days at each series' end.
    Returns unique_id, ds, cutoff, point, lower_80 … upper_95 and the seconds it took."""
    engine = _engine(name, settings.season_length)
    started = time.perf_counter()
    with _quiet():
        out = engine.cross_validation(h=h, df=df, n_windows=windows, step_size=h, level=list(settings.levels),
                                      refit=settings.refit_backtest)
    seconds = time.perf_counter() - started
    return _rename(out, name, ["unique_id", "ds", "cutoff"]), seconds


def run_forecast(name: str, df: pd.DataFrame, h: int, settings) -> tuple[pd.DataFrame, float]:
    engine = _engine(name, settings.season_length)
    started = time.perf_counter()
    with _quiet():
        out = engine.forecast(h=h, df=df, level=list(settings.levels))
    seconds = time.perf_counter() - started
    return _rename(out, name, ["unique_id", "ds"]), seconds


def _engine(name: str, season_length: int) -> StatsForecast:
    return StatsForecast(models=[build_model(name, season_length)], freq="D", n_jobs=1,
                         fallback_model=SeasonalNaive(season_length=season_length))


def _rename(out: pd.DataFrame, name: str, keys: list[str]) -> pd.DataFrame:
    columns = {name: "point", f"{name}-lo-80": "lower_80", f"{name}-hi-80": "upper_80",
               f"{name}-lo-95": "lower_95", f"{name}-hi-95": "upper_95"}
    out = out.reset_index() if "unique_id" not in out.columns else out
    out = out.rename(columns=columns)[keys + list(columns.values())]
    return out.assign(unique_id=out["unique_id"].astype(str))


class _quiet(warnings.catch_warnings):
    """statsforecast and statsmodels warn on every non-converging fit: noise for a user."""

    def __enter__(self):
        super().__enter__()
        warnings.simplefilter("ignore")
        return self
