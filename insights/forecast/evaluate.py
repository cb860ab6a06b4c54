"""backtest(): how well the forecaster — the whole procedure, model choice included — would have
done, next to each candidate and the seasonal naive, on the same rolling-origin windows.

Scoring the chosen model on the windows it was chosen on would flatter it. Here "Tidemark" is
forecast() itself run on the history cut at each window's start (it runs its own, inner backtest
on that cut history only), then scored on the window: the same code path as the pipeline.
"""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np
import pandas as pd

from insights.forecast.engine import forecast
from insights.forecast.prepare import PreparedSeries, prepare_all
from insights.forecast.selection import plan_backtest, run_backtests, score_predictions
from insights.forecast.settings import DEFAULT_SETTINGS, ForecastSettings
from insights.frames import InsightsInputError

TIDEMARK = "Tidemark"
SCORE_COLUMNS = ["series_id", "model", "horizon_days", "windows", "scored_days", "smape", "mase",
                 "coverage_80", "coverage_95", "fit_predict_seconds"]


def backtest(frame: pd.DataFrame, horizon: int, settings: ForecastSettings = DEFAULT_SETTINGS, *,
             nonnegative: bool = True) -> pd.DataFrame:
    """One row per series × model (each candidate, the ensemble of its best two, and "Tidemark"):
    sMAPE, MASE, coverage_80/95 and fit+predict seconds on `settings.backtest_windows` windows of
    exactly `horizon` days (fewer windows when the history is short)."""
    settings = evaluation_settings(settings, horizon)
    prepared, windows = evaluation_windows(frame, horizon, settings)
    if not windows:
        raise InsightsInputError(
            f"too few points for a {horizon}-day backtest: each series needs at least "
            f"{settings.min_train_days + horizon} days ({settings.min_train_days} to train, {horizon} to score)")
    usable = [s for s in prepared if s.series_id in windows]
    scores, _ = run_backtests(usable, horizon, settings)
    tidemark = _score_tidemark(frame, usable, windows, horizon, settings, nonnegative)
    return pd.concat([scores, tidemark], ignore_index=True)[SCORE_COLUMNS].sort_values(
        ["series_id", "model"]).reset_index(drop=True)


def evaluation_settings(settings: ForecastSettings, horizon: int) -> ForecastSettings:
    """The settings backtest() runs with: its inner model choice is backtested at `horizon` too."""
    settings = replace(settings, horizon=horizon, backtest_horizon=horizon)
    settings.validate()
    return settings


def evaluation_windows(frame: pd.DataFrame, horizon: int, settings: ForecastSettings
                       ) -> tuple[list[PreparedSeries], dict[str, list[pd.Timestamp]]]:
    """The prepared series backtest() scores on (their last max_train_days + the windows) and
    {series_id: the last day before each window}, oldest first; series too short are left out.
    The same windows as the candidates' cross-validation (statsforecast places them at the end)."""
    prepared = prepare_all(frame, settings.max_train_days + horizon * settings.backtest_windows)
    return prepared, _cutoffs(prepared, horizon, settings)


def _cutoffs(prepared: list[PreparedSeries], horizon: int, settings) -> dict[str, list[pd.Timestamp]]:
    out = {}
    for s in prepared:
        plan = plan_backtest(s, horizon, settings)
        if plan is None or plan.horizon != horizon:
            continue
        out[s.series_id] = [s.ds[-1 - horizon * k] for k in range(plan.windows, 0, -1)]
    return out


def _score_tidemark(frame, usable, windows, horizon, settings, nonnegative) -> pd.DataFrame:
    frame = frame.assign(series_id=frame["series_id"].astype(str))
    parts, seconds = [], 0.0
    for k in range(max(len(c) for c in windows.values())):
        cut = {sid: cutoffs[k] for sid, cutoffs in windows.items() if k < len(cutoffs)}
        limit = frame["series_id"].map(cut)
        history = frame[limit.notna() & (frame["ds"] <= limit)]
        started = time.perf_counter()
        out = forecast(history, settings, nonnegative=nonnegative)
        seconds += time.perf_counter() - started
        out = out.assign(ds=pd.to_datetime(out["target_date"]), cutoff=out["series_id"].map(cut))
        parts.append(out[out["ds"] <= out["cutoff"] + pd.Timedelta(days=horizon)])
    predicted = pd.concat(parts, ignore_index=True)
    actuals = pd.concat([pd.DataFrame({"series_id": s.series_id, "ds": s.ds, "actual": s.raw}) for s in usable])
    predicted = predicted.merge(actuals, on=["series_id", "ds"], how="left")
    scored = score_predictions(predicted, usable, settings)
    counts = predicted.groupby("series_id")["cutoff"].nunique()
    return scored.assign(model=TIDEMARK, horizon_days=horizon, windows=scored["series_id"].map(counts),
                         fit_predict_seconds=seconds / max(len(usable), 1)).astype({"windows": np.int64})
