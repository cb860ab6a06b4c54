"""SQL over the marts, every query restricted by the same scope (`scope.py`).

- `activity.py` — *activity in the period*: account × day from `marts.fct_account_metrics_daily`,
  complete days only (on or before each account's `complete_through`);
- `content.py` — *content published in the period*: lifetime results as of the last sync
  (`marts.mart_content_performance`), best posting times (`marts.mart_posting_times`), the
  post × day export;
- `coverage.py` — what each account's numbers stand on (`marts.mart_data_coverage`).
"""

from reporting.queries.content import RAW_DAILY_ROWS

__all__ = ["RAW_DAILY_ROWS"]
