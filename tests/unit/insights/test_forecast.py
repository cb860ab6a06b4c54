"""The forecaster on simulated series whose truth is known (level, weekly pattern, noise, spikes)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from statsforecast import StatsForecast
from statsforecast.models import SeasonalNaive

from insights.forecast import OUTPUT_COLUMNS, ForecastSettings, forecast
from insights.frames import InsightsInputError
from insights.metrics import coverage

START = pd.Timestamp("2024-01-01")          # a Monday
WEEKLY = np.array([0, -5, -5, 0, 5, 30, 25.0])  # Monday … Sunday: the simulator's weekend lift


def series(name: str, y, start: pd.Timestamp = START) -> pd.DataFrame:
    y = np.asarray(y, dtype=float)
    return pd.DataFrame({"series_id": name, "ds": pd.date_range(start, periods=y.size), "y": y})


def weekly_series(rng, days: int, level: float = 100.0, sigma: float = 10.0) -> np.ndarray:
    return level + WEEKLY[np.arange(days) % 7] + rng.normal(0, sigma, days)


def by_horizon(out: pd.DataFrame, series_id: str) -> pd.DataFrame:
    return out[out.series_id == series_id].set_index("horizon_days")


def test_intervals_cover_close_to_nominal_on_known_gaussian_noise():
    # 12 series × 21 days = 252 future values drawn from the same process as the history.
    # Tolerance: the days of one series share its model's estimation error, so the effective
    # sample is nearer 12 × a few than 252; ±10 points at 80 % and ±6 at 95 % are about 2.5
    # standard errors, and intervals half as wide (or twice as wide) fail them by far.
    rng = np.random.default_rng(11)
    history, future, horizon = [], [], 21
    for i in range(12):
        y = weekly_series(rng, 63 + horizon)
        history.append(series(f"s{i:02d}", y[:63]))
        future.append(series(f"s{i:02d}", y[63:], START + pd.Timedelta(days=63)))
    out = forecast(pd.concat(history), ForecastSettings(horizon=horizon, backtest_windows=1, backtest_horizon=14))
    truth = pd.concat(future).assign(target_date=lambda f: f.ds.dt.date)
    scored = out.merge(truth, on=["series_id", "target_date"], validate="one_to_one")
    assert len(scored) == 12 * horizon
    assert coverage(scored.y, scored.lower_80, scored.upper_80) == pytest.approx(0.80, abs=0.10)
    assert coverage(scored.y, scored.lower_95, scored.upper_95) == pytest.approx(0.95, abs=0.06)


def test_output_has_the_mart_columns_one_row_per_target_day():
    rng = np.random.default_rng(1)
    out = forecast(series("a", weekly_series(rng, 70)), ForecastSettings(horizon=30))
    assert list(out.columns) == OUTPUT_COLUMNS
    assert out.horizon_days.tolist() == list(range(1, 31))
    assert out.target_date.tolist() == [d.date() for d in pd.date_range(START + pd.Timedelta(days=70), periods=30)]
    assert (out.history_end == (START + pd.Timedelta(days=69)).date()).all()
    assert (out.history_days == 70).all()
    assert ((out.lower_95 <= out.lower_80) & (out.lower_80 <= out.point) & (out.point <= out.upper_80)
            & (out.upper_80 <= out.upper_95)).all()
    assert out.backtest_mase.notna().all() and out.baseline_mase.notna().all()


def test_the_same_input_gives_the_same_output():
    rng = np.random.default_rng(2)
    frame = pd.concat([series("a", weekly_series(rng, 70)), series("b", weekly_series(rng, 50, level=30))])
    settings = ForecastSettings(horizon=14)
    pd.testing.assert_frame_equal(forecast(frame, settings), forecast(frame, settings))


def test_weekly_pattern_is_forecast():
    rng = np.random.default_rng(3)
    out = by_horizon(forecast(series("a", weekly_series(rng, 84, sigma=3)), ForecastSettings(horizon=28)), "a")
    weekday = pd.to_datetime(out.target_date).dt.dayofweek.to_numpy()
    weekend_lift = out.point[weekday >= 5].mean() - out.point[weekday < 5].mean()
    true_lift = WEEKLY[5:].mean() - WEEKLY[:5].mean()   # 27.5
    assert weekend_lift == pytest.approx(true_lift, rel=0.2)


def test_counts_never_go_negative_and_the_note_says_so():
    rng = np.random.default_rng(4)
    falling = np.maximum(60 - 1.0 * np.arange(56) + rng.normal(0, 3, 56), 0)
    frame = series("falling", falling)
    clipped = forecast(frame, ForecastSettings(horizon=60))
    values = clipped[["point", "lower_80", "upper_80", "lower_95", "upper_95"]]
    assert (values >= 0).all().all()
    assert "clipped at 0" in clipped.note.iloc[0]
    unclipped = forecast(frame, ForecastSettings(horizon=60), nonnegative=False)
    assert (unclipped.lower_95 < 0).any()      # the clipping did something


def test_short_history_falls_back_to_a_widened_seasonal_naive():
    rng = np.random.default_rng(5)
    y = weekly_series(rng, 20)
    settings = ForecastSettings(horizon=14)
    out = forecast(series("new", y), settings)
    assert (out.model == "SeasonalNaive").all()
    assert out.note.iloc[0].startswith("short history (20 known days < 35)")
    assert out.backtest_smape.isna().all() and out.backtest_horizon_days.isna().all()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        plain = StatsForecast(models=[SeasonalNaive(season_length=7)], freq="D").forecast(
            h=14, df=series("new", y).rename(columns={"series_id": "unique_id"}), level=[95])
    assert out.point.to_numpy() == pytest.approx(plain["SeasonalNaive"].to_numpy())
    half_width = (out.upper_95 - out.point).to_numpy()
    plain_half_width = (plain["SeasonalNaive-hi-95"] - plain["SeasonalNaive"]).to_numpy()
    assert half_width == pytest.approx(settings.short_history_widening * plain_half_width)


def test_too_short_history_is_skipped_with_a_reason():
    rng = np.random.default_rng(6)
    frame = pd.concat([series("tiny", weekly_series(rng, 10)), series("ok", weekly_series(rng, 21)),
                       series("unknown", [np.nan] * 30)])
    out = forecast(frame, ForecastSettings(horizon=7))
    assert set(out.series_id) == {"ok"}
    assert out.attrs["skipped"] == {"tiny": "10 known days; a forecast needs at least 14",
                                    "unknown": "no known value"}


def test_missing_days_are_filled_for_fitting_and_counted_as_unknown():
    rng = np.random.default_rng(7)
    y = weekly_series(rng, 70, sigma=3)
    y[[20, 21, 40, 41, 42, 69]] = np.nan       # the last day unknown too: the history ends the day before
    out = forecast(series("gappy", y), ForecastSettings(horizon=14))
    assert (out.history_days == 64).all()
    assert out.history_end.iloc[0] == (START + pd.Timedelta(days=68)).date()
    assert out.horizon_days.tolist() == list(range(1, 15))
    assert "5 missing day(s) filled" in out.note.iloc[0]
    truth = 100 + WEEKLY[np.arange(69, 83) % 7]
    assert np.abs(out.point.to_numpy() - truth).mean() < 5       # the weekly shape survived the gaps


def test_a_past_viral_week_does_not_lift_the_forecast():
    rng = np.random.default_rng(8)
    y = weekly_series(rng, 84, sigma=5)
    y[40:47] *= 5
    out = by_horizon(forecast(series("viral", y), ForecastSettings(horizon=90)), "viral")
    truth = 100 + WEEKLY[(83 + out.index.to_numpy()) % 7]
    assert np.abs(out.point.to_numpy() - truth).max() < 20        # the spike level is 5× (≈ 500)
    assert "7 outlying day(s)" in out.note.iloc[0]


def test_a_viral_week_at_the_end_fades_back_to_the_earlier_level():
    rng = np.random.default_rng(9)
    y = weekly_series(rng, 84, sigma=5)
    y[-7:] *= 5
    out = by_horizon(forecast(series("viral", y), ForecastSettings(horizon=90)), "viral")
    assert out.point[1] > 300                                      # the spike is news on day 1
    late = out.loc[60:90]
    truth = 100 + WEEKLY[(83 + late.index.to_numpy()) % 7]
    assert np.abs(late.point.to_numpy() - truth).max() < 10       # … and gone two months later
    assert "fades back" in out.note.iloc[0]


def test_rounded_counts_are_forecast_from_the_line_through_the_steps():
    days = 84
    true = 12_000 + 37.0 * np.arange(days + 30)
    rounded = np.array([float(f"{v:.3g}") for v in true[:days]])   # 3 significant figures: steps of 100
    out = by_horizon(forecast(series("subscribers", rounded), ForecastSettings(horizon=30)), "subscribers")
    assert np.abs(out.point.to_numpy() - true[days:]).max() < 50   # half a step
    assert (out.lower_80.to_numpy() <= true[days:]).all() and (true[days:] <= out.upper_80.to_numpy()).all()
    assert "rounded counts (steps of 100)" in out.note.iloc[0]


@pytest.mark.parametrize("settings, message", [
    (ForecastSettings(horizon=0), "horizon must be at least 1"),
    (ForecastSettings(models=("Prophet",)), "unknown model"),
    (ForecastSettings(levels=(90,)), "80 and 95"),
])
def test_bad_settings_are_refused_with_the_reason(settings, message):
    with pytest.raises(InsightsInputError, match=message):
        forecast(series("a", np.arange(40.0)), settings)


def test_hourly_data_is_refused():
    frame = pd.DataFrame({"series_id": "a", "ds": pd.date_range(START, periods=100, freq="h"), "y": 1.0})
    with pytest.raises(InsightsInputError, match="daily values"):
        forecast(frame)
