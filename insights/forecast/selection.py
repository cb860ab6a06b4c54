"""Rolling-origin backtest of every candidate, and the choice of a model per series.

The choice is by MASE (ties, and series whose MASE is undefined, by sMAPE; then the candidate
order). Within one series MASE ranks models exactly as their mean absolute error does (the scale
is the same for all), which is what a count forecast should minimise; sMAPE is asymmetric (an
over-forecast costs less than the same under-forecast) and explodes on days near 0 (a quiet
account's 0 or 1 engagements), so it only breaks ties. Only raw known days are scored.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from insights.forecast.models import long_frame, run_cross_validation
from insights.forecast.prepare import PreparedSeries
from insights.forecast.settings import BASELINE
from insights.metrics import coverage, mase, naive_scale, smape

BOUNDS = ["point", "lower_80", "upper_80", "lower_95", "upper_95"]


@dataclass(frozen=True)
class Plan:
    horizon: int
    windows: int


def plan_backtest(series: PreparedSeries, horizon: int, settings) -> Plan | None:
    """Windows that fit the history: the horizon shrinks (down to min_backtest_days) before the
    number of windows does; None when fewer than min_selection_days are known."""
    if series.known_days < settings.min_selection_days:
        return None
    room = len(series.ds) - settings.min_train_days
    h = min(horizon, max(settings.min_backtest_days, room // settings.backtest_windows))
    windows = min(settings.backtest_windows, room // h)
    return Plan(h, windows) if windows >= 1 else None


def run_backtests(series: list[PreparedSeries], horizon: int, settings) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Backtest every candidate (and the ensemble of each series' best two).

    Returns (scores, predictions): scores has one row per series × model with smape, mase,
    coverage_80, coverage_95, fit_predict_seconds (the model's batch time shared equally by the
    batch's series), horizon_days, windows; predictions the backtest's rows (series_id, model, ds,
    cutoff, actual, point … upper_95)."""
    plans = {s.series_id: plan_backtest(s, horizon, settings) for s in series}
    by_id = {s.series_id: s for s in series}
    score_parts, prediction_parts = [], []
    for plan in sorted({p for p in plans.values() if p is not None}, key=lambda p: (p.horizon, p.windows)):
        group = [by_id[sid] for sid, p in plans.items() if p == plan]
        df = long_frame(group)
        actuals = _actuals(group)
        for name in settings.models:
            cv, seconds = run_cross_validation(name, df, plan.horizon, plan.windows, settings)
            cv = cv.rename(columns={"unique_id": "series_id"}).merge(actuals, on=["series_id", "ds"], how="left")
            prediction_parts.append(cv.assign(model=name))
            score_parts.append(score_predictions(cv, group, settings).assign(
                model=name, fit_predict_seconds=seconds / len(group), horizon_days=plan.horizon,
                windows=plan.windows))
    if not score_parts:
        return _empty_scores(), pd.DataFrame(columns=["series_id", "model", "ds", "cutoff", "actual", *BOUNDS])
    scores = pd.concat(score_parts, ignore_index=True)
    predictions = pd.concat(prediction_parts, ignore_index=True)
    if settings.ensemble and len(settings.models) >= 2:
        ensemble_scores, ensemble_predictions = _ensembles(scores, predictions, by_id, settings)
        scores = pd.concat([scores, ensemble_scores], ignore_index=True)
        predictions = pd.concat([predictions, ensemble_predictions], ignore_index=True)
    return scores.sort_values(["series_id", "model"]).reset_index(drop=True), predictions


def choose(scores: pd.DataFrame, settings) -> pd.DataFrame:
    """One row per series: the winning model's scores plus the baseline's (baseline_smape/mase)."""
    order = {name: i for i, name in enumerate(settings.models)}
    ranked = scores.assign(_m=scores["mase"].fillna(np.inf), _s=scores["smape"].fillna(np.inf),
                           _o=scores["model"].map(order).fillna(len(order)))
    best = ranked.sort_values(["series_id", "_m", "_s", "_o"]).groupby("series_id", sort=True).head(1)
    baseline = scores[scores["model"] == BASELINE].set_index("series_id")
    best = best.set_index("series_id")
    best["baseline_smape"] = baseline["smape"].reindex(best.index)
    best["baseline_mase"] = baseline["mase"].reindex(best.index)
    return best.drop(columns=["_m", "_s", "_o"]).reset_index()


def ensemble_name(first: str, second: str) -> str:
    return f"Ensemble({first}+{second})"


def ensemble_members(model: str) -> list[str]:
    return model[len("Ensemble("):-1].split("+") if model.startswith("Ensemble(") else [model]


def _ensembles(scores, predictions, by_id, settings):
    """Per series, the mean of the best two single models (point and each bound)."""
    singles = choose_top_two(scores, settings)
    runs = {key: part.sort_values(["cutoff", "ds"]).reset_index(drop=True)
            for key, part in predictions.groupby(["series_id", "model"], sort=False)}
    score_rows = scores.set_index(["series_id", "model"])
    parts, rows = [], []
    for series_id, (first, second) in singles.items():
        a, b = runs[(series_id, first)], runs[(series_id, second)]
        mean = a.copy()
        mean[BOUNDS] = (a[BOUNDS].to_numpy() + b[BOUNDS].to_numpy()) / 2
        name = ensemble_name(first, second)
        parts.append(mean.assign(model=name))
        members = score_rows.loc[[(series_id, first), (series_id, second)]]
        rows.append(score_predictions(mean, [by_id[series_id]], settings).assign(
            model=name, fit_predict_seconds=members["fit_predict_seconds"].sum(),
            horizon_days=members["horizon_days"].iloc[0], windows=members["windows"].iloc[0]))
    if not parts:
        return _empty_scores(), predictions.iloc[0:0]
    return pd.concat(rows, ignore_index=True), pd.concat(parts, ignore_index=True)


def choose_top_two(scores: pd.DataFrame, settings) -> dict[str, tuple[str, str]]:
    order = {name: i for i, name in enumerate(settings.models)}
    ranked = scores.assign(_m=scores["mase"].fillna(np.inf), _s=scores["smape"].fillna(np.inf),
                           _o=scores["model"].map(order))
    ranked = ranked.sort_values(["series_id", "_m", "_s", "_o"])
    # the pair is named in candidate order, so the same two models always make the same name
    return {sid: tuple(sorted(part["model"].head(2), key=order.get))
            for sid, part in ranked.groupby("series_id", sort=True) if len(part) >= 2}


def score_predictions(cv: pd.DataFrame, group: list[PreparedSeries], settings) -> pd.DataFrame:
    rows = []
    by_series = dict(tuple(cv.groupby("series_id", sort=False)))
    for s in group:
        mine = by_series.get(s.series_id)
        if mine is None:
            continue
        first_cutoff = mine["cutoff"].min()
        history = s.raw[: int((s.ds <= first_cutoff).sum())]
        scale = naive_scale(history, settings.season_length)
        y, f = mine["actual"].to_numpy(), mine["point"].to_numpy()
        rows.append({
            "series_id": s.series_id, "smape": smape(y, f),
            "mase": mase(y, f, history, settings.season_length) if not np.isnan(scale) else np.nan,
            "coverage_80": coverage(y, mine["lower_80"], mine["upper_80"]),
            "coverage_95": coverage(y, mine["lower_95"], mine["upper_95"]),
            "scored_days": int((~np.isnan(y)).sum()),
        })
    return pd.DataFrame(rows)


def _actuals(group: list[PreparedSeries]) -> pd.DataFrame:
    return pd.concat([pd.DataFrame({"series_id": s.series_id, "ds": s.ds, "actual": s.raw}) for s in group],
                     ignore_index=True)


def _empty_scores() -> pd.DataFrame:
    return pd.DataFrame(columns=["series_id", "smape", "mase", "coverage_80", "coverage_95", "scored_days",
                                 "model", "fit_predict_seconds", "horizon_days", "windows"])
