"""The quality gate's rule: reports only when the latest result of every blocking check passed.

GX checks run where raw data lands (ingestion runs) and dbt tests in the transform run; their
outcomes are kept in `ops.check_results`. The gate reads the latest outcome of each blocking
check; any failing one holds the reports back (the previous report stays in place).
"""

from __future__ import annotations

LATEST_BLOCKING = """
    select distinct on (check_name) check_name, asset_key, passed, severity, failed_rows, details, run_id, evaluated_at
    from ops.check_results
    where is_blocking
    order by check_name, evaluated_at desc, check_result_id desc
"""


def failing_blocking_checks(conn) -> list[dict]:
    with conn.cursor() as cur:
        cur.execute(LATEST_BLOCKING)
        columns = [c.name for c in cur.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cur.fetchall()]
    conn.commit()
    return [row for row in rows if not row["passed"] and row["severity"] == "error"]


def describe(failing: list[dict]) -> list[str]:
    """One line per failing check, for the gate's failure message."""
    return [f"{row['check_name']} on {row['asset_key']} ({row['failed_rows']} rows, run {str(row['run_id'])[:8]})"
            for row in failing]
