"""Writes to `ops.check_results` shared by the Python checks: one row per check and run.

The gate reads the latest row per check name among blocking rows, so a passing evaluation must
be recorded as blocking too — otherwise an old failure would stay "latest" forever.
"""

from __future__ import annotations

import orjson


def record_check(cur, run_id: str, check_name: str, asset_key: str, *, passed: bool, severity: str,
                 blocking: bool = True, failed_rows: int = 0, details: dict | None = None) -> None:
    cur.execute(
        "insert into ops.check_results (run_id, check_name, asset_key, passed, severity, is_blocking, failed_rows, "
        "details) values (%s, %s, %s, %s, %s, %s, %s, %s::jsonb)",
        (run_id, check_name, asset_key, passed, severity, blocking, failed_rows,
         orjson.dumps(details or {}, default=str).decode()),
    )
