"""`ops.analytics_reports`: every generated report, its files and sizes, the checks it passed,
its text summary and where that summary was delivered."""

from __future__ import annotations

from datetime import datetime, timedelta

import orjson

UPSERT = """
    insert into ops.analytics_reports (report_id, name, report_type, period_start, period_end, platforms,
        filters, formats, files, size_bytes, file_sizes, generated_at, expires_at, run_id, checks_passed,
        partition_key, summary_text)
    values (%s, %s, %s, %s, %s, %s, %s::jsonb, %s, %s::jsonb, %s, %s::jsonb, %s, %s, %s, %s::jsonb, %s, %s)
    on conflict (report_id) do update set report_type = excluded.report_type, platforms = excluded.platforms,
        filters = excluded.filters, formats = excluded.formats, files = excluded.files,
        size_bytes = excluded.size_bytes, file_sizes = excluded.file_sizes, generated_at = excluded.generated_at,
        expires_at = excluded.expires_at, run_id = excluded.run_id, checks_passed = excluded.checks_passed,
        partition_key = excluded.partition_key, summary_text = excluded.summary_text,
        deliveries = '[]'::jsonb, deleted_at = null
"""


def report_id(workspace_id: str, name: str, period) -> str:
    """One id per report and period: a re-run of the period updates the same row."""
    return f"{workspace_id}:{name}:{period.label}"


def _dumps(value) -> str:
    return orjson.dumps(value).decode()


def register(conn, *, report_id: str, name: str, report_type: str, period, platforms: list[str], filters: dict,
             written, generated_at: datetime, retention_days: int, run_id: str, checks_passed: list[str],
             formats: list[str] | None = None, partition_key: str | None = None) -> None:
    """Insert or replace (same id = same report and period re-run): idempotent."""
    formats = formats or sorted({path.rsplit(".", 1)[-1] for path in written.files})
    sizes = getattr(written, "sizes", {})
    with conn, conn.cursor() as cur:
        cur.execute(UPSERT, (
            report_id, name, report_type, period.start, period.end, platforms, _dumps(filters), formats,
            _dumps(written.files), written.size_bytes, _dumps(sizes), generated_at,
            generated_at + timedelta(days=retention_days), run_id, _dumps(checks_passed), partition_key,
            getattr(written, "summary", None),
        ))


def record_deliveries(conn, report_id: str, outcomes: list[dict]) -> None:
    with conn, conn.cursor() as cur:
        cur.execute("update ops.analytics_reports set deliveries = %s::jsonb where report_id = %s",
                    (_dumps(outcomes), report_id))
