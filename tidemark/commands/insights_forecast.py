"""`tidemark insights backtest | forecast`: the pipeline's forecaster (insights/forecast/) on a CSV.

    tidemark insights backtest --csv FILE --date-col C --value-col V [--id-col I] --horizon H [--windows N]
                               [--models AutoETS AutoTheta AutoARIMA SeasonalNaive]
    tidemark insights forecast --csv FILE --date-col C --value-col V [--id-col I] --horizon H [--out FILE]

Bad input (no such column, non-numeric values, duplicated dates, too few points, horizon < 1)
prints "tidemark insights: <the problem>" and exits 2. docs/insights.md explains the output.
"""

from __future__ import annotations

import sys
from dataclasses import replace

import pandas as pd

from insights.forecast import ALL_MODELS, DEFAULT_MODELS, TIDEMARK, ForecastSettings, backtest, forecast
from insights.frames import InsightsInputError
from insights.series import read_series_csv

BAD_INPUT = 2


def cmd_backtest(args) -> int:
    try:
        frame = _read(args)
        settings = _settings(args)
        scores = backtest(frame, args.horizon, replace(settings, backtest_windows=args.windows))
    except InsightsInputError as error:
        return _refuse(error)
    print(f"rolling-origin backtest: {args.windows} window(s) of {args.horizon} days at each series' end; "
          f"candidates {', '.join(settings.models)}")
    print(backtest_table(scores))
    return 0


def cmd_forecast(args) -> int:
    try:
        frame = _read(args)
        out = forecast(frame, replace(_settings(args), horizon=args.horizon))
        skipped = out.attrs.get("skipped", {})
        if out.empty:
            raise InsightsInputError("too few points for a forecast: " + "; ".join(
                f"'{series_id}' has {reason}" for series_id, reason in skipped.items()))
    except InsightsInputError as error:
        return _refuse(error)
    for series_id, reason in skipped.items():
        print(f"tidemark insights: no forecast for '{series_id}': {reason}", file=sys.stderr)
    if args.out:
        out.to_csv(args.out, index=False)
        print(f"wrote {len(out)} rows ({out.series_id.nunique()} series × {args.horizon} days) to {args.out}",
              file=sys.stderr)
    else:
        out.to_csv(sys.stdout, index=False)
    return 0


def backtest_table(scores: pd.DataFrame) -> str:
    """Per series and overall (the mean over series): Tidemark's forecaster next to seasonal naive."""
    tidemark = scores[scores.model == TIDEMARK].set_index("series_id")
    naive = scores[scores.model == "SeasonalNaive"].set_index("series_id").reindex(tidemark.index)
    lines = [f"{'series':<24} {'windows':>7} {'days':>5} | {'Tidemark sMAPE':>14} {'MASE':>6} {'cov80':>6} "
             f"{'cov95':>6} {'s':>7} | {'naive sMAPE':>11} {'MASE':>6} {'s':>7}"]
    rows = [(str(series_id), tidemark.loc[series_id], naive.loc[series_id]) for series_id in tidemark.index]
    numeric = tidemark.columns.drop("model")
    overall = (f"overall ({len(rows)} series)", tidemark[numeric].mean(), naive[numeric].mean())
    for label, t, n in [*rows, overall]:
        lines.append(
            f"{label[:24]:<24} {t.windows:>7.0f} {t.scored_days:>5.0f} | {t.smape:>13.2f}% {t.mase:>6.3f} "
            f"{t.coverage_80:>6.0%} {t.coverage_95:>6.0%} {t.fit_predict_seconds:>7.2f} | {n.smape:>10.2f}% "
            f"{n.mase:>6.3f} {n.fit_predict_seconds:>7.2f}")
    lines.append("days = scored (known) days; s = fit+predict seconds per series (Tidemark: its own model "
                 "choice and final fit, every window)")
    return "\n".join(lines)


def _read(args) -> pd.DataFrame:
    if args.horizon < 1:
        raise InsightsInputError(f"--horizon must be at least 1 day (got {args.horizon})")
    return read_series_csv(args.csv, args.date_col, args.value_col, args.id_col)


def _settings(args) -> ForecastSettings:
    return ForecastSettings(models=tuple(args.models))


def _refuse(error: InsightsInputError) -> int:
    print(f"tidemark insights: {error}", file=sys.stderr)
    return BAD_INPUT


def add_parsers(commands) -> None:
    for name, func, helptext in (
        ("backtest", cmd_backtest, "sMAPE / MASE / coverage of the forecaster and of seasonal naive on a CSV"),
        ("forecast", cmd_forecast, "forecasts with 80/95 % intervals for every series of a CSV"),
    ):
        parser = commands.add_parser(name, help=helptext)
        parser.add_argument("--csv", required=True, help="the CSV file (one row per day and series)")
        parser.add_argument("--date-col", required=True, help="the date column")
        parser.add_argument("--value-col", required=True, help="the value column (empty cell = unknown day)")
        parser.add_argument("--id-col", help="the series id column (several series in one file)")
        parser.add_argument("--horizon", type=int, required=True, help="days ahead")
        parser.add_argument("--models", nargs="+", choices=ALL_MODELS, default=list(DEFAULT_MODELS),
                            help="candidate models (default: %(default)s; AutoARIMA is slower)")
        if name == "backtest":
            parser.add_argument("--windows", type=int, default=3, help="rolling-origin windows (default 3)")
        else:
            parser.add_argument("--out", help="write the CSV here (default: stdout)")
        parser.set_defaults(func=func)
