"""What the forecaster does, in one frozen object: horizons, intervals, candidates, history tiers.

The history tiers (docs/insights.md, "Forecasts"):
- fewer than `min_history_days` known days: no forecast (a season-7 baseline needs two weeks: one
  to copy, one to measure its error);
- fewer than `min_selection_days`: no model selection, the seasonal naive baseline with its
  intervals widened by `short_history_widening` (no backtest can check them);
- otherwise every candidate is backtested (rolling origin, at least `min_train_days` of training
  before the first cutoff) and the best one, or the mean of the best two, is chosen per series.
"""

from __future__ import annotations

from dataclasses import dataclass

from insights.frames import InsightsInputError

DEFAULT_MODELS = ("AutoETS", "AutoTheta", "SeasonalNaive")
ALL_MODELS = ("AutoETS", "AutoTheta", "AutoARIMA", "SeasonalNaive")
BASELINE = "SeasonalNaive"


@dataclass(frozen=True)
class ForecastSettings:
    horizon: int = 90                       # days forecast; the mart keeps 1..90 (7/30/90 read from it)
    levels: tuple[int, ...] = (80, 95)
    season_length: int = 7                  # weekly pattern of daily data
    backtest_horizon: int = 30              # shortened when the history cannot hold the windows
    backtest_windows: int = 3
    models: tuple[str, ...] = DEFAULT_MODELS  # AutoARIMA is opt-in: ~25× slower than AutoTheta here
    ensemble: bool = True                   # also try the mean of the best two
    min_history_days: int = 14
    max_train_days: int = 365               # older days are dropped: the fit's cost grows with length
    refit_backtest: bool = False            # False: later windows reuse the first one's parameters (~6× cheaper)
    min_train_days: int = 28                # four weeks: the seasonal models see each weekday 4 times
    min_backtest_days: int = 7              # the shortest backtest horizon (one full week)
    short_history_widening: float = 1.5
    calibrate_intervals: bool = True        # rescale each series' intervals to its backtest's coverage
    spike_half_life_days: float = 7.0       # a viral week at the end fades back with this half-life

    @property
    def min_selection_days(self) -> int:
        return self.min_train_days + self.min_backtest_days

    def validate(self) -> None:
        if self.horizon < 1:
            raise InsightsInputError(f"horizon must be at least 1 day (got {self.horizon})")
        if self.backtest_horizon < 1 or self.backtest_windows < 1:
            raise InsightsInputError("the backtest needs a horizon and a number of windows of at least 1 "
                                     f"(got {self.backtest_horizon} days × {self.backtest_windows} windows)")
        unknown = [m for m in self.models if m not in ALL_MODELS]
        if unknown or not self.models:
            raise InsightsInputError(f"unknown model(s) {', '.join(unknown) or '(none given)'}; choose from "
                                     + ", ".join(ALL_MODELS))
        if sorted(self.levels) != [80, 95]:
            raise InsightsInputError(f"interval levels must be 80 and 95 (the mart's columns); got {self.levels}")


DEFAULT_SETTINGS = ForecastSettings()
