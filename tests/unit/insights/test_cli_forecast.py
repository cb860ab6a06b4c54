"""`tidemark insights backtest | forecast` on small CSVs: output, and exit 2 with a clear message."""

from __future__ import annotations

import io
import re

import numpy as np
import pandas as pd
import pytest

from insights.forecast import OUTPUT_COLUMNS
from insights.metrics import smape
from tidemark.cli import main

WEEKLY = np.array([0, -5, -5, 0, 5, 30, 25.0])


def write_csv(tmp_path, days: int = 56, ids=("a",), name: str = "views.csv") -> tuple:
    rng = np.random.default_rng(31)
    frames, values = [], {}
    for series_id in ids:
        y = np.round(100 + WEEKLY[np.arange(days) % 7] + rng.normal(0, 5, days), 1)
        values[series_id] = y
        frames.append(pd.DataFrame({"account": series_id, "day": pd.date_range("2024-01-01", periods=days)
                                    .strftime("%Y-%m-%d"), "views": y}))
    path = tmp_path / name
    pd.concat(frames).to_csv(path, index=False)
    return path, values


def args_for(path, *extra) -> list[str]:
    return ["--csv", str(path), "--date-col", "day", "--value-col", "views", *extra]


def test_forecast_writes_the_mart_columns_for_every_series(tmp_path, capsys):
    path, _ = write_csv(tmp_path, ids=("a", "b"))
    out = tmp_path / "forecast.csv"
    assert main(["insights", "forecast", *args_for(path, "--id-col", "account", "--horizon", "10",
                                                  "--out", str(out))]) == 0
    written = pd.read_csv(out)
    assert list(written.columns) == OUTPUT_COLUMNS
    assert written.groupby("series_id").horizon_days.apply(list).to_dict() == {"a": list(range(1, 11)),
                                                                               "b": list(range(1, 11))}
    assert "wrote 20 rows (2 series × 10 days)" in capsys.readouterr().err


def test_forecast_without_out_prints_the_csv(tmp_path, capsys):
    path, _ = write_csv(tmp_path)
    assert main(["insights", "forecast", *args_for(path, "--horizon", "7")]) == 0
    printed = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert printed.series_id.unique().tolist() == ["views"]          # no id column: the file's name
    assert printed.target_date.tolist() == pd.date_range("2024-02-26", periods=7).strftime("%Y-%m-%d").tolist()


def test_backtest_prints_per_series_and_overall_scores(tmp_path, capsys):
    path, values = write_csv(tmp_path, ids=("a", "b"))
    assert main(["insights", "backtest", *args_for(path, "--id-col", "account", "--horizon", "7",
                                                  "--windows", "2")]) == 0
    lines = capsys.readouterr().out.splitlines()
    by_label = {line.split()[0]: line for line in lines if re.match(r"^(a|b|overall) ", line)}
    assert set(by_label) == {"a", "b", "overall"}
    # seasonal naive on the last two weeks, by hand: each day copies the same weekday of the week before the window
    for series_id in ("a", "b"):
        y = values[series_id]
        expected = smape(y[42:56], np.concatenate([y[35:42], y[42:49]]))   # windows after days 41 and 48
        naive_smape = float(by_label[series_id].split("|")[2].split("%")[0])
        assert naive_smape == pytest.approx(expected, abs=0.005)


@pytest.mark.parametrize("extra, message", [
    (["--horizon", "0"], "--horizon must be at least 1 day (got 0)"),
    (["--horizon", "7", "--id-col", "channel"], "no id column 'channel'"),
    (["--horizon", "30"], "too few points for a 30-day backtest"),
    (["--horizon", "7", "--windows", "0"], "at least 1"),
])
def test_backtest_refuses_bad_input_with_exit_2(tmp_path, capsys, extra, message):
    path, _ = write_csv(tmp_path)
    assert main(["insights", "backtest", *args_for(path, *extra)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("tidemark insights: ") and message in err


def test_non_numeric_values_and_duplicated_dates_are_refused(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("day,views\n2024-01-01,12\n2024-01-02,twelve\n")
    assert main(["insights", "forecast", *args_for(bad, "--horizon", "7")]) == 2
    assert "line 3: 'twelve' in column 'views' is not a number" in capsys.readouterr().err
    dup = tmp_path / "dup.csv"
    dup.write_text("day,views\n2024-01-01,12\n2024-01-01,13\n")
    assert main(["insights", "forecast", *args_for(dup, "--horizon", "7")]) == 2
    assert "has 2024-01-01 00:00:00 more than once" in capsys.readouterr().err


def test_forecast_of_too_short_a_series_is_refused(tmp_path, capsys):
    path, _ = write_csv(tmp_path, days=10)
    assert main(["insights", "forecast", *args_for(path, "--horizon", "7")]) == 2
    assert "too few points for a forecast: 'views' has 10 known days; a forecast needs at least 14" \
        in capsys.readouterr().err


def test_an_unknown_model_is_refused_by_the_parser(tmp_path, capsys):
    path, _ = write_csv(tmp_path)
    with pytest.raises(SystemExit) as exit_info:
        main(["insights", "backtest", *args_for(path, "--horizon", "7", "--models", "Prophet")])
    assert exit_info.value.code == 2
    assert "invalid choice: 'Prophet'" in capsys.readouterr().err
