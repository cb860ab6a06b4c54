"""`tidemark insights detect` end to end through tidemark.cli.main, on the fixtures and on bad input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tidemark.cli import main

FIXTURES = Path(__file__).parents[2] / "fixtures" / "insights"
COLUMNS = ["--timestamp-col", "date", "--value-col", "value"]


def run(capsys, *argv):
    code = main(["insights", "detect", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_detect_prints_the_injected_anomalies_and_the_evaluation(capsys, tmp_path):
    out_csv = tmp_path / "judged.csv"
    code, out, err = run(capsys, "--csv", str(FIXTURES / "youtube_views.csv"), *COLUMNS,
                         "--labels", str(FIXTURES / "labels.json"), "--out", str(out_csv))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    # make_fixtures.py multiplies day 60 (2026-03-06, a Friday) by 4.8 and day 121 (2026-05-06) by 0.35
    spike = next(line for line in lines if line.startswith("2026-03-06"))
    assert " spike " in spike and spike.endswith("for a Friday") and "× the expected" in spike
    drop = next(line for line in lines if line.startswith("2026-05-06"))
    assert " drop " in drop and "% below the expected" in drop
    assert "labels: 3 window(s)" in out and "NAB standard score" in out and "precision" in out
    judged = pd.read_csv(out_csv)
    known = pd.read_csv(FIXTURES / "youtube_views.csv")["value"].notna().sum()
    assert len(judged) == known - 14                     # every known day after min_history
    assert judged.is_anomaly.sum() == sum(line[:4] == "2026" for line in lines)


def test_several_files_are_evaluated_together_like_a_nab_corpus(capsys):
    files = sorted(str(p) for p in FIXTURES.glob("*.csv"))
    code, out, _ = run(capsys, "--csv", *files, *COLUMNS, "--labels", str(FIXTURES / "labels.json"))
    windows = sum(len(w) for w in json.loads((FIXTURES / "labels.json").read_text()).values())
    assert code == 0 and f"labels: {windows} window(s)" in out
    assert "clean_views.csv" not in out                  # nothing was injected there


def test_an_id_column_splits_the_file_into_series(capsys, tmp_path):
    rng = np.random.default_rng(0)
    days = pd.date_range("2026-01-01", periods=60, freq="D")
    rows = [pd.DataFrame({"day": days, "account": name, "views": np.round(rng.normal(500, 20, 60))})
            for name in ("a", "b")]
    rows[1].loc[45, "views"] = 5000
    path = tmp_path / "two.csv"
    pd.concat(rows).to_csv(path, index=False)
    code, out, _ = run(capsys, "--csv", str(path), "--timestamp-col", "day", "--value-col", "views",
                       "--id-col", "account")
    flagged = [line for line in out.splitlines() if line.startswith("b  ")]
    assert code == 0 and len(flagged) == 1 and str(days[45].date()) in flagged[0]
    assert "views " in flagged[0] and "× the expected" in flagged[0]


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


@pytest.mark.parametrize("content, columns, problem", [
    ("date,value\n2026-01-01,1\n", ["--timestamp-col", "day", "--value-col", "value"], "no time column 'day'"),
    ("date,value\n2026-01-01,lots\n", COLUMNS, "'lots' in column 'value' is not a number"),
    ("date,value\n" + "".join(f"2026-01-{d:02d},{d}\n" for d in range(1, 11)), COLUMNS, "too few points"),
    ("date,value\n2026-01-01,1\n2026-01-01,2\n", COLUMNS, "more than once"),
])
def test_bad_csvs_exit_2_with_the_problem_named(capsys, tmp_path, content, columns, problem):
    path = write(tmp_path, "bad.csv", content)
    code, out, err = run(capsys, "--csv", str(path), *columns)
    assert code == 2 and out == ""
    assert err.startswith("tidemark insights: ") and problem in err


@pytest.mark.parametrize("labels, problem", [
    ("{not json", "not valid JSON"),
    ('{"other.csv": []}', "no entry for youtube_views.csv"),
    ('{"youtube_views.csv": [["2026-03-01"]]}', "not [start, end]"),
])
def test_bad_labels_exit_2_with_the_problem_named(capsys, tmp_path, labels, problem):
    csv = tmp_path / "youtube_views.csv"
    shutil.copy(FIXTURES / "youtube_views.csv", csv)
    path = write(tmp_path, "labels.json", labels)
    code, _, err = run(capsys, "--csv", str(csv), *COLUMNS, "--labels", str(path))
    assert code == 2 and err.startswith("tidemark insights: ") and problem in err
