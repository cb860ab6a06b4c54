"""forecast(): every series → one row per target day, the model chosen by a backtest, with notes.

The pipeline (orchestration/insights/) and `tidemark insights forecast` both call this; the
pipeline adds domain, platform, account_id, metric and made_on and writes marts.mart_forecasts.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from insights.forecast import adjust
from insights.forecast.models import long_frame, run_forecast
from insights.forecast.prepare import PreparedSeries, prepare_all
from insights.forecast.selection import choose, ensemble_members, run_backtests
from insights.forecast.settings import BASELINE, DEFAULT_SETTINGS, ForecastSettings

OUTPUT_COLUMNS = [
    "series_id", "history_start", "history_end", "history_days", "target_date", "horizon_days", "point",
    "lower_80", "upper_80", "lower_95", "upper_95", "model", "backtest_horizon_days", "backtest_windows",
    "backtest_smape", "backtest_mase", "baseline_smape", "baseline_mase", "note",
]
_VALUES = ["point", "lower_80", "upper_80", "lower_95", "upper_95"]


def forecast(frame: pd.DataFrame, settings: ForecastSettings = DEFAULT_SETTINGS, *,
             nonnegative: bool = True) -> pd.DataFrame:
    """The forecasts of every series in `frame` (series_id, ds, y) for days 1..settings.horizon
    after each series' last known day. Series with too little history get no rows: their ids and
    the reason are in the result's `attrs["skipped"]` ({series_id: reason})."""
    settings.validate()
    prepared = prepare_all(frame, settings.max_train_days)
    seen = {s.series_id for s in prepared}
    skipped = {sid: "no known value" for sid in frame["series_id"].astype(str).unique() if sid not in seen}
    skipped |= {s.series_id: f"{s.known_days} known days; a forecast needs at least {settings.min_history_days}"
                for s in prepared if s.known_days < settings.min_history_days}
    usable = [s for s in prepared if s.series_id not in skipped]
    scores, backtested = run_backtests(usable, settings.backtest_horizon, settings)
    chosen = choose(scores, settings).set_index("series_id") if not scores.empty else pd.DataFrame()
    factors = _calibrations(backtested, chosen) if settings.calibrate_intervals else {}
    model_of = {s.series_id: chosen["model"].get(s.series_id, BASELINE) if not chosen.empty else BASELINE
                for s in usable}
    predictions = _fit_chosen(usable, model_of, settings)
    parts = [_series_rows(s, model_of[s.series_id], predictions, chosen, factors.get(s.series_id), settings,
                          nonnegative) for s in usable]
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=OUTPUT_COLUMNS)
    out.attrs["skipped"] = skipped
    return out


def _fit_chosen(usable: list[PreparedSeries], model_of: dict[str, str], settings) -> dict:
    """Fit each needed model once on all the series that use it: {(series_id, model): frame}."""
    needs: dict[str, list[PreparedSeries]] = {}
    for s in usable:
        for member in ensemble_members(model_of[s.series_id]):
            needs.setdefault(member, []).append(s)
    predictions = {}
    for name in sorted(needs):
        out, _ = run_forecast(name, long_frame(needs[name]), settings.horizon, settings)
        for series_id, part in out.groupby("unique_id", sort=False):
            predictions[(series_id, name)] = part.sort_values("ds").reset_index(drop=True)
    return predictions


def _calibrations(backtested: pd.DataFrame, chosen: pd.DataFrame) -> dict[str, dict[int, float]]:
    """{series_id: interval factors} from the chosen model's own backtest rows (adjust.calibration)."""
    if chosen.empty:
        return {}
    winners = backtested.merge(chosen["model"].rename("winner"), left_on="series_id", right_index=True)
    winners = winners[winners["model"] == winners["winner"]]
    found = {sid: adjust.calibration(part) for sid, part in winners.groupby("series_id", sort=True)}
    return {sid: f for sid, f in found.items() if f is not None}


def _series_rows(s: PreparedSeries, model: str, predictions: dict, chosen: pd.DataFrame,
                 factors: dict[int, float] | None, settings, nonnegative: bool) -> pd.DataFrame:
    members = [predictions[(s.series_id, m)] for m in ensemble_members(model)]
    out = members[0][["ds", *_VALUES]].copy()
    out[_VALUES] = np.mean([m[_VALUES].to_numpy() for m in members], axis=0)
    notes = []
    selected = not chosen.empty and s.series_id in chosen.index
    if not selected:
        out = adjust.widen(out, settings.short_history_widening)
        notes.append(f"short history ({s.known_days} known days < {settings.min_selection_days}): seasonal "
                     f"naive without model selection, intervals widened ×{settings.short_history_widening:g}")
    if factors:
        out = adjust.scale(out, factors)
        notes.append(f"intervals rescaled to the backtest's coverage (80 % ×{factors[80]:.2f}, "
                     f"95 % ×{factors[95]:.2f})")
    if s.filled_days:
        notes.append(f"{s.filled_days} missing day(s) filled for fitting (same weekday's mean), never scored")
    if s.cleaned_days:
        notes.append(f"{s.cleaned_days} outlying day(s) (a past spike or dip) replaced by the same weekday's "
                     "median for fitting")
    if s.rounding_step is not None:
        out = adjust.pad(out, s.rounding_step / 2)
        notes.append(f"rounded counts (steps of {s.rounding_step:,.0f}): fitted on the line through the steps, "
                     "bounds widened by half a step")
    jump = adjust.recent_jump(s, settings.season_length)
    if jump is not None:
        ratio, profile = jump
        out = adjust.fade(out, profile, settings.spike_half_life_days)
        notes.append(f"last week {ratio:.1f}× the 4 weeks before: the forecast fades back to that level "
                     f"(half-life {settings.spike_half_life_days:g} days)")
    out = adjust.nest(out)
    if nonnegative:
        out, clipped = adjust.clip_at_zero(out)
        if clipped:
            notes.append("clipped at 0 (counts cannot go negative)")
    history_end = s.ds[~np.isnan(s.raw)].max()
    row = chosen.loc[s.series_id] if selected else None
    return pd.DataFrame({
        "series_id": s.series_id,
        "history_start": s.ds[~np.isnan(s.raw)].min().date(),
        "history_end": history_end.date(),
        "history_days": s.known_days,
        "target_date": out["ds"].dt.date,
        "horizon_days": (out["ds"] - history_end).dt.days.astype(int),
        **{column: out[column].to_numpy() for column in _VALUES},
        "model": model,
        "backtest_horizon_days": pd.array([row["horizon_days"] if selected else None] * len(out), dtype="Int64"),
        "backtest_windows": pd.array([row["windows"] if selected else None] * len(out), dtype="Int64"),
        "backtest_smape": row["smape"] if selected else np.nan,
        "backtest_mase": row["mase"] if selected else np.nan,
        "baseline_smape": row["baseline_smape"] if selected else np.nan,
        "baseline_mase": row["baseline_mase"] if selected else np.nan,
        "note": "; ".join(notes) or None,
    })[OUTPUT_COLUMNS]
