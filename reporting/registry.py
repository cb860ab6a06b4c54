"""`ops.analytics_reports`: every generated report, its files and the checks it passed."""

from __future__ import annotations

from datetime import datetime, timedelta

import orjson


def register(conn, *, report_id: str, name: str, report_type: str, period, platforms: list[str], filters: dict,
             written, generated_at: datetime, retention_days: int, run_id: str, checks_passed: list[str]) -> None:
    """Insert or replace (same id = same report and period re-run): idempotent."""
    with conn, conn.cursor() as cur:
        cur.execute(
            """
            insert into ops.analytics_reports (report_id, name, report_type, period_start, period_end, platforms,
                filters, formats, files, size_bytes, generated_at, expires_at, run_id, checks_passed)
            values (%s, %s, %s, %s, %s, %s, %s::jsonb, %s, %s::jsonb, %s, %s, %s, %s, %s::jsonb)
            on conflict (report_id) do update set files = excluded.files, size_bytes = excluded.size_bytes,
                generated_at = excluded.generated_at, expires_at = excluded.expires_at, run_id = excluded.run_id,
                checks_passed = excluded.checks_passed, formats = excluded.formats, deleted_at = null
            """,
            (report_id, name, report_type, period.start, period.end, platforms, orjson.dumps(filters).decode(),
             sorted({path.rsplit(".", 1)[-1] for path in written.files}), orjson.dumps(written.files).decode(),
             written.size_bytes, generated_at, generated_at + timedelta(days=retention_days), run_id,
             orjson.dumps(checks_passed).decode()),
        )
