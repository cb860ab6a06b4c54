"""NAB scoring on hand-computed cases (numbers derived in the comments from NAB's sweeper.py)."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from insights.anomalies.labels import read_labels, windows_for
from insights.anomalies.nab import CostMatrix, evaluate, scaled_sigmoid, score_series
from insights.frames import InsightsInputError

TIMES = pd.date_range("2026-01-01", periods=100, freq="D")   # probation: the first 15 rows
WINDOWS = [(TIMES[40], TIMES[44]), (TIMES[70], TIMES[74])]   # 5 rows each


def detections(*rows):
    return [i in rows for i in range(len(TIMES))]


def test_scaled_sigmoid_matches_nabs_documented_values():
    assert scaled_sigmoid(-1.0) == pytest.approx(0.98661, abs=1e-5)
    assert scaled_sigmoid(-0.5) == pytest.approx(0.84828, abs=1e-5)
    assert scaled_sigmoid(0.0) == 0.0
    assert scaled_sigmoid(1.0) == pytest.approx(-0.98661, abs=1e-5)
    assert scaled_sigmoid(3.5) == -1.0


def test_a_perfect_detector_scores_100_and_a_null_one_0():
    perfect = evaluate([score_series(TIMES, detections(40, 70), WINDOWS)])
    assert perfect.nab_score == pytest.approx(100.0)
    assert (perfect.precision, perfect.recall, perfect.f1) == (1.0, 1.0, 1.0)
    null = evaluate([score_series(TIMES, detections(), WINDOWS)])
    assert null.nab_score == pytest.approx(0.0) and null.recall == 0.0 and math.isnan(null.precision)


def test_a_later_detection_in_a_window_earns_less():
    # row 42 in window 40..44: position -(44 - 42 + 1)/5 = -0.6 → 2/(1+e^-3) - 1 = 0.9051483, / 0.9866143
    result = score_series(TIMES, detections(42), WINDOWS[:1])
    assert result.raw_score == pytest.approx(0.917429, abs=1e-6)
    assert evaluate([result]).nab_score == pytest.approx(100 * (0.917429 + 1) / 2, abs=1e-4)


def test_one_false_positive_after_a_window():
    # FP at row 46: position |44 - 46| / (5 - 1) = 0.5 → 2/(1+e^2.5) - 1 = -0.848284, × A_FP 0.11
    result = score_series(TIMES, detections(40, 46), WINDOWS[:1])
    assert result.raw_score == pytest.approx(1.0 - 0.0933112, abs=1e-6)
    assert (result.false_alarms, result.false_positive_points) == (1, 1)
    summary = evaluate([result])
    assert summary.nab_score == pytest.approx(100 * (1.0 - 0.0933112 + 1) / 2, abs=1e-4)
    assert summary.precision == 0.5 and summary.recall == 1.0


def test_false_positives_far_from_windows_and_runs_of_them():
    # rows 20, 21, 22 precede every window: -A_FP each (NAB) but one false alarm for precision
    result = score_series(TIMES, detections(20, 21, 22, 40), WINDOWS[:1])
    assert result.raw_score == pytest.approx(1.0 - 3 * 0.11)
    assert (result.false_alarms, result.false_positive_points) == (1, 3)
    # rows in the probationary period (first 15 % of 100) are not scored at all
    assert score_series(TIMES, detections(3, 40), WINDOWS[:1]).raw_score == pytest.approx(1.0)


def test_another_profile_weights_misses_more():
    result = score_series(TIMES, detections(40), WINDOWS, CostMatrix(tp=1.0, fp=0.11, fn=2.0))
    assert result.raw_score == pytest.approx(1.0 - 2.0)
    assert evaluate([result], CostMatrix(fn=2.0)).nab_score == pytest.approx(100 * (-1 + 4) / 6)


def test_labels_match_by_relative_path_or_file_name(tmp_path):
    path = tmp_path / "labels.json"
    path.write_text(json.dumps({"data/a.csv": [["2026-02-10", "2026-02-14 00:00:00"]], "b.csv": []}))
    labels = read_labels(path)
    (tmp_path / "data").mkdir()
    assert windows_for(labels, tmp_path / "data" / "a.csv", path) == [(TIMES[40], TIMES[44])]
    assert windows_for(labels, tmp_path / "elsewhere" / "a.csv", path) == [(TIMES[40], TIMES[44])]
    assert windows_for(labels, tmp_path / "b.csv", path) == []
    with pytest.raises(InsightsInputError, match="no entry for c.csv"):
        windows_for(labels, tmp_path / "c.csv", path)


@pytest.mark.parametrize("content, problem", [
    ("[1, 2]", "JSON object"),
    ("{bad json", "not valid JSON"),
    ('{"a.csv": [["2026-01-05"]]}', "not \\[start, end\\]"),
    ('{"a.csv": [["2026-01-05", "soon"]]}', "not a date"),
    ('{"a.csv": [["2026-01-05", "2026-01-01"]]}', "ends before it starts"),
    ('{"a.csv": "2026-01-05"}', "must be a list"),
])
def test_malformed_labels_are_refused_with_the_problem_named(tmp_path, content, problem):
    path = tmp_path / "labels.json"
    path.write_text(content)
    with pytest.raises(InsightsInputError, match=problem):
        read_labels(path)


def test_a_window_with_no_row_of_the_series_is_an_error():
    with pytest.raises(InsightsInputError, match="contains no row"):
        score_series(TIMES, detections(), [(pd.Timestamp("2030-01-01"), pd.Timestamp("2030-01-02"))])
