"""Evaluate every declared test against the warehouse and store the results (one transaction)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from insights.abtests.config import ABTest
from insights.abtests.evaluate import FINISHED, MART_COLUMNS, data_window, evaluate_test, resolve
from insights.abtests.text import summary
from insights.abtests.warehouse import read_post_days, read_posts, stored_statuses, write_ab_tests


@dataclass
class Evaluation:
    results: pd.DataFrame  # MART_COLUMNS, one row per test × variant
    newly_finished: list[str] = field(default_factory=list)  # tests whose verdict is new this run
    summaries: dict[str, str] = field(default_factory=dict)  # test name → webhook text


def evaluate_all(conn, tests: list[ABTest], today: date, now) -> Evaluation:
    """Check every declaration (raises ABTestConfigError before any work), evaluate, write the mart.
    A test is newly finished when its stored status was 'running' (or it had none) and is now final."""
    if not tests:
        write_ab_tests(conn, pd.DataFrame(columns=list(MART_COLUMNS)), now)
        return Evaluation(pd.DataFrame(columns=list(MART_COLUMNS)))
    members = resolve(tests, read_posts(conn))
    parts = []
    for test in tests:
        start, end = data_window(test, today)
        days = read_post_days(conn, list(members[test.name]["post_key"]), test.successes, test.trials, start, end)
        parts.append(evaluate_test(test, members[test.name], days, today))
    results = pd.concat(parts, ignore_index=True)
    before = stored_statuses(conn)
    write_ab_tests(conn, results, now)
    finished = [name for name, rows in results.groupby("test_name", sort=False)
                if rows["status"].iat[0] in FINISHED and before.get(name, "running") == "running"]
    return Evaluation(results, finished,
                      {name: summary(results[results["test_name"] == name]) for name in finished})
