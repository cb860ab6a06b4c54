"""A/B tests of posts (docs/insights-abtests.md).

Declarations in abtests.yaml (`config`), the variants' posts and the verdict (`evaluate`, pure
pandas), the statistics (`stats`: scipy's chi-square test, the lift's interval, the sample still
needed), the summary text (`text`) and the reads/writes of marts.mart_ab_tests (`warehouse`).
`run` ties them together for the Dagster asset marts/mart_ab_tests: every declaration is checked
(file, then warehouse) before any test is evaluated.
"""

from insights.abtests.config import ABTest, ABTestConfigError, load_abtests
from insights.abtests.evaluate import FINISHED, MART_COLUMNS, evaluate_test, resolve
from insights.abtests.run import Evaluation, evaluate_all

__all__ = ["ABTest", "ABTestConfigError", "Evaluation", "FINISHED", "MART_COLUMNS", "evaluate_all",
           "evaluate_test", "load_abtests", "resolve"]
