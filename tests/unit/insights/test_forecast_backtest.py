"""backtest(): the rolling-origin windows, their scoring (known days only) and the choice of model."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from insights.forecast import TIDEMARK, ForecastSettings, backtest, forecast
from insights.forecast.adjust import calibration, scale
from insights.forecast.prepare import prepare_all
from insights.forecast.selection import choose, run_backtests
from insights.frames import InsightsInputError
from insights.metrics import coverage, mase, smape

START = pd.Timestamp("2024-01-01")
WEEKLY = np.array([0, -5, -5, 0, 5, 30, 25.0])


def frame_of(y) -> pd.DataFrame:
    return pd.DataFrame({"series_id": "a", "ds": pd.date_range(START, periods=len(y)), "y": np.asarray(y, float)})


def seasonal_naive_by_hand(y: np.ndarray, cutoff: int, horizon: int) -> np.ndarray:
    """ŷ(cutoff + k) = y(cutoff + k − 7·ceil(k/7)): the last known week, repeated."""
    return np.array([y[cutoff + k - 7 * int(np.ceil(k / 7))] for k in range(1, horizon + 1)])


def test_seasonal_naive_scores_match_a_hand_computation_and_skip_unknown_days():
    rng = np.random.default_rng(21)
    y = 100 + WEEKLY[np.arange(70) % 7] + rng.normal(0, 5, 70)
    y[[65, 66]] = np.nan                         # unknown days inside the last window: never scored
    scores = backtest(frame_of(y), horizon=7, settings=ForecastSettings(backtest_windows=2))
    naive = scores[scores.model == "SeasonalNaive"].iloc[0]
    actual = np.concatenate([y[56:63], y[63:70]])
    # the windows start after days 55 and 62; the days they copy (49..62) are all known
    predicted = np.concatenate([seasonal_naive_by_hand(y, 55, 7), seasonal_naive_by_hand(y, 62, 7)])
    assert naive.windows == 2 and naive.scored_days == 12
    assert naive.smape == pytest.approx(smape(actual, predicted))
    assert naive.mase == pytest.approx(mase(actual, predicted, y[:56]))


def test_backtest_reports_every_candidate_the_ensemble_and_tidemark():
    rng = np.random.default_rng(22)
    y = 100 + WEEKLY[np.arange(91) % 7] + rng.normal(0, 5, 91)
    scores = backtest(frame_of(y), horizon=14)
    models = set(scores.model)
    assert {"AutoETS", "AutoTheta", "SeasonalNaive", TIDEMARK} <= models
    assert any(m.startswith("Ensemble(") for m in models)
    assert (scores.horizon_days == 14).all() and (scores.windows == 3).all()
    assert scores[["smape", "mase", "coverage_80", "coverage_95"]].notna().all().all()
    assert (scores.fit_predict_seconds > 0).all()
    # a clean weekly series: Tidemark's forecaster beats repeating last week
    tidemark = scores.set_index("model").loc[TIDEMARK]
    assert tidemark.mase < scores.set_index("model").loc["SeasonalNaive"].mase


def test_the_chosen_model_has_the_lowest_backtest_mase():
    rng = np.random.default_rng(23)
    y = 100 + WEEKLY[np.arange(91) % 7] + rng.normal(0, 5, 91)
    settings = ForecastSettings(horizon=14)
    scores, _ = run_backtests(prepare_all(frame_of(y)), settings.backtest_horizon, settings)
    chosen = choose(scores, settings).iloc[0]
    assert chosen.mase == scores.mase.min()
    out = forecast(frame_of(y), settings)
    assert (out.model == chosen.model).all()
    assert out.backtest_mase.iloc[0] == pytest.approx(chosen.mase)
    assert out.baseline_mase.iloc[0] == pytest.approx(scores.set_index("model").loc["SeasonalNaive", "mase"])


def test_short_history_shortens_the_backtest_horizon_first():
    rng = np.random.default_rng(24)
    y = 100 + WEEKLY[np.arange(49) % 7] + rng.normal(0, 5, 49)   # 21 days after the 28 to train
    out = forecast(frame_of(y), ForecastSettings(horizon=7))
    assert out.backtest_horizon_days.iloc[0] == 7 and out.backtest_windows.iloc[0] == 3


def test_a_backtest_longer_than_the_history_is_refused():
    with pytest.raises(InsightsInputError, match="too few points for a 30-day backtest"):
        backtest(frame_of(np.arange(40.0)), horizon=30)


def test_calibration_rescales_intervals_that_are_too_narrow_for_the_errors():
    # the model claims σ = 1 (80 % half-width 1.2816, 95 % 1.96) while its errors have σ = 2:
    # both factors should be ≈ 2, and the rescaled intervals cover their level of the errors
    rng = np.random.default_rng(25)
    errors = rng.normal(0, 2, 4000)
    rows = pd.DataFrame({"actual": errors, "point": 0.0, "lower_80": -1.2816, "upper_80": 1.2816,
                         "lower_95": -1.96, "upper_95": 1.96})
    factors = calibration(rows)
    assert factors[80] == pytest.approx(2, rel=0.05) and factors[95] == pytest.approx(2, rel=0.05)
    rescaled = scale(rows, factors)
    assert coverage(errors, rescaled.lower_80, rescaled.upper_80) == pytest.approx(0.80, abs=0.005)
    assert coverage(errors, rescaled.lower_95, rescaled.upper_95) == pytest.approx(0.95, abs=0.005)
    assert calibration(rows.head(27)) is None                 # too few days to estimate a 95 % quantile


def test_bands_stay_nested_when_the_levels_are_rescaled_apart():
    """A per-level rescale (or a model's own bands far out) may cross the 95 % band into the 80 %; the
    stored rows never do: nest() widens the 95 % band to the 80 % one and keeps the point inside."""
    from insights.checks import band_violations
    from insights.forecast.adjust import nest

    out = pd.DataFrame({"point": [100.0, 100.0], "lower_80": [90.0, 101.0], "upper_80": [110.0, 112.0],
                        "lower_95": [80.0, 85.0], "upper_95": [120.0, 125.0]})
    crossed = scale(out, {80: 3.0, 95: 0.5})  # 80 % now wider than 95 %
    assert len(band_violations(crossed)) == 2
    nested = nest(crossed)
    assert band_violations(nested).empty
    assert nested.loc[0, "lower_95"] == nested.loc[0, "lower_80"] == crossed.loc[0, "lower_80"]  # 95 % widened
    assert nested.loc[1, "lower_80"] == 100.0  # a bound on the wrong side of the point moves to the point
