"""Retention of the community domain's raw events (docs/community.md "Retention and cleanup").

Raw events are deleted by whole UTC days, only when
  * the day is older than `raw_retention_days`, and
  * every incremental community model has already built everything loaded for that day: its
    watermark (`ops.community_build_state.loaded_through`, written by the model's own build) is at or
    after the newest `loaded_at` of the day's events. A model never built, or built before the day's
    last event arrived, keeps the day's raw (reported as waiting).
Deleted days are recorded in `ops.community_compacted_days`: no build recomputes them from the raw
left over, and ingestion quarantines an event that arrives for one later ("too late").

Resolved error logs lose their details (stack trace, url, method, extra data, client context) once
resolved longer than `resolved_error_retention_days` ago, and only when mart_error_logs already
counts the resolution; the event's skeleton (id, level, category, message, time) stays until the raw
retention removes its day, so a rebuild of the day still counts it.

Both run in one transaction holding the dbt build lock and the community ingest lock (transaction
level: released at commit), so no build reads half-deleted days and no ingest batch is mid-flight.
A second run finds nothing to do (idempotent).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from psycopg2 import sql

from core.warehouse.locks import TRANSFORM
from ingestion.community.load import INGEST_LOCK

log = logging.getLogger(__name__)

ERRORS_MODEL = "int_community__errors"
ERROR_MART = "mart_error_logs"
# What a resolved error_log keeps once its details are removed (the marts read these).
ERROR_KEPT_PROPERTIES = ("error_id", "level", "category", "message")


@dataclass
class RawCleanup:
    cutoff: date  # days before this one are old enough
    days_deleted: list[date] = field(default_factory=list)
    events_deleted: int = 0
    waiting: dict[date, str] = field(default_factory=dict)  # old days kept, and why
    blocked: str | None = None  # why nothing could be deleted at all


@dataclass
class ErrorCleanup:
    resolved_before: datetime
    logs_trimmed: int = 0  # error_log events whose details were removed by this run
    waiting: int = 0  # old enough and resolved, but mart_error_logs has not counted the resolution yet


def _lock(cur) -> None:
    for name in (TRANSFORM, INGEST_LOCK):
        cur.execute("select pg_advisory_xact_lock(hashtext(%s))", (name,))


def _watermarks(cur, models: Sequence[str]) -> dict[str, datetime | None]:
    cur.execute("select model, loaded_through from ops.community_build_state where model = any(%s)", (list(models),))
    found = dict(cur.fetchall())
    return {model: found.get(model) for model in models}


def cleanup_raw_events(conn, *, today: date, retention_days: int, models: Sequence[str]) -> RawCleanup:
    """Delete raw community events of days before `today - retention_days` that every model in
    `models` (the incremental community models) has built; see the module docstring."""
    if retention_days < 1:
        raise ValueError(f"raw_retention_days must be at least 1, got {retention_days}")
    if not models:
        raise ValueError("no incremental community models given: nothing could vouch for a day's rollups")
    report = RawCleanup(cutoff=today - timedelta(days=retention_days))
    try:
        with conn.cursor() as cur:
            _lock(cur)
            marks = _watermarks(cur, models)
            unbuilt = sorted(model for model, mark in marks.items() if mark is None)
            if unbuilt:
                report.blocked = f"not built yet (no watermark): {', '.join(unbuilt)}"
                conn.rollback()
                return report
            covered = min(marks.values())
            cur.execute(
                """select (event_at at time zone 'UTC')::date as day, count(*), max(loaded_at)
                   from raw.community_events
                   where event_at < %s::date::timestamp at time zone 'UTC'
                   group by 1 order by 1""", (report.cutoff,))
            for day, count, last_loaded in cur.fetchall():
                if last_loaded <= covered:
                    report.days_deleted.append(day)
                    report.events_deleted += count
                else:
                    laggard = min(marks, key=lambda model: marks[model])
                    report.waiting[day] = (f"events loaded {last_loaded:%Y-%m-%d %H:%M:%S} UTC are not yet in "
                                           f"{laggard} (built through {covered:%Y-%m-%d %H:%M:%S} UTC)")
            if report.days_deleted:
                cur.execute(
                    """with deleted as (
                           delete from raw.community_events
                           where event_at < %(cutoff)s::date::timestamp at time zone 'UTC'
                               and (event_at at time zone 'UTC')::date = any(%(days)s::date[])
                           returning (event_at at time zone 'UTC')::date as day)
                       insert into ops.community_compacted_days as compacted (day, events_deleted)
                       select day, count(*) from deleted group by day
                       on conflict (day) do update
                       set events_deleted = compacted.events_deleted + excluded.events_deleted,
                           compacted_at = now()""",
                    {"cutoff": report.cutoff, "days": report.days_deleted})
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    log.info("community raw cleanup: %d events of %d days before %s deleted; %d old days waiting%s",
             report.events_deleted, len(report.days_deleted), report.cutoff, len(report.waiting),
             f"; blocked: {report.blocked}" if report.blocked else "")
    return report


def cleanup_resolved_errors(conn, *, now: datetime, retention_days: int) -> ErrorCleanup:
    """Remove the details of error logs resolved before `now - retention_days` whose resolution
    mart_error_logs already counts; see the module docstring."""
    if retention_days < 1:
        raise ValueError(f"resolved_error_retention_days must be at least 1, got {retention_days}")
    report = ErrorCleanup(resolved_before=now - timedelta(days=retention_days))
    try:
        with conn.cursor() as cur:
            _lock(cur)
            counted = _watermarks(cur, [ERROR_MART])[ERROR_MART]
            if counted is None:
                conn.rollback()
                return report
            cur.execute(
                f"""select
                        count(*) filter (where errors.loaded_at <= %(counted)s),
                        count(*) filter (where errors.loaded_at > %(counted)s)
                    from staging.{ERRORS_MODEL} as errors
                    where errors.is_resolved and errors.resolved_at < %(before)s""",
                {"counted": counted, "before": report.resolved_before})
            eligible, report.waiting = cur.fetchone()
            if eligible:
                cur.execute(
                    f"""with done as (
                            select errors.message_id
                            from staging.{ERRORS_MODEL} as errors
                            where errors.is_resolved and errors.resolved_at < %(before)s
                                and errors.loaded_at <= %(counted)s
                        )
                        update raw.community_events as events
                        set properties = (
                                select coalesce(jsonb_object_agg(item.key, item.value), '{{}}'::jsonb)
                                from jsonb_each(events.properties) as item
                                where item.key = any(%(kept)s)
                            ),
                            context = null
                        from done
                        where events.message_id = done.message_id
                            and (events.context is not null
                                 or exists (select 1 from jsonb_object_keys(events.properties) as key
                                            where key <> all(%(kept)s)))""",
                    {"before": report.resolved_before, "counted": counted, "kept": list(ERROR_KEPT_PROPERTIES)})
                report.logs_trimmed = cur.rowcount
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    log.info("community resolved-error cleanup: details of %d error logs resolved before %s removed; %d waiting",
             report.logs_trimmed, report.resolved_before, report.waiting)
    return report


def prune_rollups(conn, *, today: date, retention_days: int, tables: Sequence[tuple[str, str]]) -> dict[str, int]:
    """Delete rollup rows older than `retention_days` (at least two years) from `tables`: (schema.table,
    SQL of the row's UTC day). Rows per table deleted."""
    if retention_days < 730:
        raise ValueError(f"rollup_retention_days must be at least 730 (two years), got {retention_days}")
    cutoff = today - timedelta(days=retention_days)
    deleted: dict[str, int] = {}
    try:
        with conn.cursor() as cur:
            _lock(cur)
            for table, day_sql in tables:
                schema, name = table.split(".")
                cur.execute(sql.SQL("delete from {} where {} < %s").format(
                    sql.Identifier(schema, name), sql.SQL(day_sql)), (cutoff,))
                deleted[table] = cur.rowcount
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    return deleted
