"""Checks: everything that decides whether data is good enough to report.

- `suites/<platform>/<stream>.py` — one GX suite per raw table (`rules.py`: what they are made of);
- `runner.py` — validates new raw rows with GX, quarantines offending rows, records the outcome;
- `quarantine.py` — the held rows: list them, re-validate and release them after a fix;
- `results.py` — `ops.check_results`, where every check of every run is kept;
- `freshness.py`, `row_counts.py`, `dbt_results.py` — the other checks' rules;
- `gate.py` — the quality gate: reports only when every blocking check's latest result passed.
dbt tests stay in `dbt_project/tests/`; Dagster wraps these as asset checks in `orchestration/quality/`.
"""
