"""The forecast mart's checks fire on the wrong numbers they exist for, and stay quiet otherwise."""

import numpy as np
import pandas as pd

from insights.checks import band_violations, missing_forecasts
from insights.forecast import ForecastSettings, forecast


def series(n_days: dict[str, int]) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    return pd.concat([pd.DataFrame({"series_id": sid, "ds": pd.date_range("2026-01-01", periods=n),
                                    "y": 100 + rng.normal(0, 5, n)}) for sid, n in n_days.items()], ignore_index=True)


def test_real_forecasts_pass_both_checks():
    history = series({"a": 60, "b": 20, "short": 5})
    settings = ForecastSettings(horizon=14)
    result = forecast(history, settings)
    assert band_violations(result).empty
    assert missing_forecasts(history, result, settings.min_history_days, settings.horizon) == []


def test_bands_out_of_order_or_below_zero_are_caught():
    result = forecast(series({"a": 60}), ForecastSettings(horizon=7))
    broken = result.copy()
    broken.loc[2, ["lower_80", "upper_80"]] = broken.loc[2, ["upper_80", "lower_80"]].to_numpy()  # swapped
    broken.loc[4, "lower_95"] = -1.0
    broken.loc[5, "point"] = np.nan
    assert sorted(band_violations(broken).index) == [2, 4, 5]


def test_a_series_with_history_but_no_or_partial_forecast_is_named():
    history = series({"a": 60, "b": 60, "short": 5})
    result = forecast(history, ForecastSettings(horizon=7))
    partial = result[~((result.series_id == "b") & (result.horizon_days == 7))]
    assert missing_forecasts(history, partial, 14, 7) == ["b"]
    assert missing_forecasts(history, result[result.series_id != "a"], 14, 7) == ["a"]
    assert missing_forecasts(history, result.iloc[0:0], 14, 7) == ["a", "b"]  # "short" has too little history
