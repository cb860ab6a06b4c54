"""Compaction of the social raw snapshots (docs/retention.md).

Every sync re-reads lifetimes and report days inside a lookback window, so a record (a post, a report
day, an account) piles up snapshots that a later one replaces. A full rebuild (`dbt build
--full-refresh`) reads, per raw table, only some of them — KEEP says which, from the dbt models:

  * `newest`: the record's newest row (staging's latest_raw_records, and the models' "latest
    snapshot" by fetched_at) — always kept, for every table;
  * `day_edges`: the first and the last row of each UTC day (of fetched_at). snapshot_daily_deltas
    interpolates each midnight between the readings around it (the day's last and the next day's
    first) and starts a post at its first reading; "last snapshot of the day" models read the last;
  * `first`: the record's first row ever (int_*__posts: first_snapshot_at, the baseline's moment);
  * `kind`: SQL splitting a record's rows into kinds kept separately (Instagram insights without
    numbers are skipped by the deltas but count for first_snapshot_at).
Rows quarantined and not released (ops.held_raw_rows) are never deleted and never count as a
replacement: staging skips them. A table absent from KEEP is never compacted.

A row is deleted only when, in addition, its UTC day is older than `compact_after_days`, that day
of its table is built (every row of it was loaded before the fact models' watermark,
ops.social_build_state, written by their own successful build), and — for records kept by `newest`
only — the row replacing it is built too. What went is recorded per table and day in
ops.social_compactions. One transaction holding the dbt build lock and the loader's per-table
locks; a second run finds nothing to do.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from psycopg2 import sql

from core.warehouse.locks import TRANSFORM

log = logging.getLogger(__name__)

# The fact models whose builds vouch for a day (their hooks write ops.social_build_state).
FACT_MODELS = ("fct_post_metrics_daily", "fct_account_metrics_daily")


@dataclass(frozen=True)
class Keep:
    """Which rows of a record a full rebuild reads (besides the newest, always kept)."""

    day_edges: bool = False
    first: bool = False
    kind: str = "null"


NEWEST = Keep()

# Per raw table, from the models that read it (see the module docstring). Only tables listed here
# are compacted; a platform is added after reading its models.
KEEP: dict[str, Keep] = {
    # int_instagram__account_metrics_daily: followers = the last user snapshot of each day
    "instagram_users": Keep(day_edges=True),
    # int_instagram__posts: the latest media snapshot only
    "instagram_media": NEWEST,
    # int_instagram__post_metrics_daily: snapshot_daily_deltas over the readings with numbers;
    # int_instagram__posts: latest reading with numbers, first reading of any kind
    "instagram_media_insights": Keep(day_edges=True, first=True, kind="payload ? 'unavailable'"),
    # latest_raw_records: one row per record key (metric × day, day, breakdown × day)
    "instagram_account_daily": NEWEST,
    "instagram_account_totals": NEWEST,
    "instagram_demographics": NEWEST,
    # int_youtube__account_metrics_daily: the latest channel snapshot
    "youtube_channels": NEWEST,
    # int_youtube__posts: latest video snapshot and first_snapshot_at
    "youtube_videos": Keep(first=True),
    # stg_youtube__video_totals: latest per video (record key video|before: a finer key keeps more)
    "youtube_video_totals": NEWEST,
    # latest_raw_records
    "youtube_video_daily": NEWEST,
    "youtube_channel_daily": NEWEST,
    "youtube_video_retention": NEWEST,
    "youtube_demographics": NEWEST,
}

_DOOMED = """
    with live as (
        select
            raw_id, account_id, record_key, fetched_at, loaded_at,
            (fetched_at at time zone 'UTC')::date as day,
            {kind} as kind
        from {table}
        where raw_id not in (select held.raw_id from ops.held_raw_rows as held where held.raw_table = %(name)s)
    ),
    days as (
        select (fetched_at at time zone 'UTC')::date as day, max(loaded_at) as last_loaded
        from {table}
        group by 1
    ),
    ranked as (
        select
            live.raw_id,
            live.day,
            live.fetched_at = min(live.fetched_at) over by_day as day_first,
            live.fetched_at = max(live.fetched_at) over by_day as day_last,
            live.fetched_at = min(live.fetched_at) over by_kind as record_first,
            live.raw_id = max(live.raw_id) over by_record as newest_by_id,
            row_number() over (partition by live.account_id, live.record_key
                               order by live.fetched_at desc, live.raw_id desc) = 1 as newest_by_time,
            max(live.loaded_at) over by_record as record_last_loaded
        from live
        window
            by_day as (partition by live.account_id, live.record_key, live.kind, live.day),
            by_kind as (partition by live.account_id, live.record_key, live.kind),
            by_record as (partition by live.account_id, live.record_key)
    ),
    doomed as (
        select ranked.raw_id, ranked.day
        from ranked
        inner join days on ranked.day = days.day
        where ranked.day < %(cutoff)s
            and days.last_loaded < %(built)s
            and not (ranked.newest_by_id or ranked.newest_by_time)
            and not (%(first)s and ranked.record_first)
            and not (%(day_edges)s and (ranked.day_first or ranked.day_last))
            and (%(day_edges)s or ranked.record_last_loaded < %(built)s)
    ),
    deleted as (
        delete from {table} as target
        using doomed
        where target.raw_id = doomed.raw_id
        returning doomed.day
    )
    select day, count(*) from deleted group by day order by day
"""


@dataclass
class Compaction:
    cutoff: date  # rows of days before this one are old enough
    built_before: datetime | None = None  # the fact models' watermark (None: never built)
    deleted: dict[str, dict[date, int]] = field(default_factory=dict)  # table → day → rows
    waiting: dict[str, list[date]] = field(default_factory=dict)  # old days loaded after the last build
    blocked: str | None = None  # why nothing could be deleted

    @property
    def rows_deleted(self) -> int:
        return sum(sum(days.values()) for days in self.deleted.values())


def build_watermark(cur) -> tuple[datetime | None, list[str]]:
    """The oldest watermark of the fact models and the models never built (no watermark)."""
    cur.execute("select model, loaded_before from ops.social_build_state where model = any(%s)", (list(FACT_MODELS),))
    marks = dict(cur.fetchall())
    missing = [model for model in FACT_MODELS if model not in marks]
    return (min(marks.values()) if marks and not missing else None), missing


def _lock_loads(cur, table: str) -> None:
    """The loader's lock of every account of the table (core/warehouse/loader.py): no batch mid-load."""
    cur.execute(sql.SQL("select distinct account_id from {} order by 1").format(sql.Identifier("raw", table)))
    for (account_id,) in cur.fetchall():
        cur.execute("select pg_advisory_xact_lock(hashtext(%s))", (f"raw.{table}:{account_id}",))


def _waiting_days(cur, table: str, cutoff: date, built: datetime) -> list[date]:
    cur.execute(sql.SQL(
        "select (fetched_at at time zone 'UTC')::date as day from {} group by 1 "
        "having (fetched_at at time zone 'UTC')::date < %s and max(loaded_at) >= %s order by 1"
    ).format(sql.Identifier("raw", table)), (cutoff, built))
    return [day for (day,) in cur.fetchall()]


def compact_raw(conn, *, today: date, compact_after_days: int, tables: Iterable[str]) -> Compaction:
    """Delete superseded raw snapshots of `tables` (those in KEEP; others are skipped) older than
    `today - compact_after_days` whose days the fact models have built; see the module docstring."""
    if compact_after_days < 1:
        raise ValueError(f"retention.compact_after_days must be at least 1, got {compact_after_days}")
    report = Compaction(cutoff=today - timedelta(days=compact_after_days))
    try:
        with conn.cursor() as cur:
            # no dbt build while rows go (transaction level: released at commit)
            cur.execute("select pg_advisory_xact_lock(hashtext(%s))", (TRANSFORM,))
            report.built_before, missing = build_watermark(cur)
            if report.built_before is None:
                report.blocked = f"not built yet (no watermark): {', '.join(missing)}"
                conn.rollback()
                return report
            cur.execute("select table_name from information_schema.tables where table_schema = 'raw'")
            existing = {name for (name,) in cur.fetchall()}
            for table in sorted(set(tables) & set(KEEP) & existing):
                keep = KEEP[table]
                _lock_loads(cur, table)
                cur.execute(sql.SQL(_DOOMED).format(table=sql.Identifier("raw", table), kind=sql.SQL(keep.kind)), {
                    "name": table, "cutoff": report.cutoff, "built": report.built_before,
                    "first": keep.first, "day_edges": keep.day_edges})
                days = dict(cur.fetchall())
                if days:
                    report.deleted[table] = days
                    cur.executemany(
                        """insert into ops.social_compactions as done (raw_table, day, rows_deleted)
                           values (%s, %s, %s)
                           on conflict (raw_table, day) do update
                           set rows_deleted = done.rows_deleted + excluded.rows_deleted, compacted_at = now()""",
                        [(table, day, count) for day, count in days.items()])
                waiting = _waiting_days(cur, table, report.cutoff, report.built_before)
                if waiting:
                    report.waiting[table] = waiting
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    log.info("social raw compaction: %d rows of %d tables before %s deleted; %d table-days waiting for a build%s",
             report.rows_deleted, len(report.deleted), report.cutoff, sum(map(len, report.waiting.values())),
             f"; blocked: {report.blocked}" if report.blocked else "")
    return report


def relation_bytes(conn, tables: Iterable[str]) -> dict[str, int]:
    """pg_total_relation_size (table + indexes + TOAST) of raw tables, in bytes."""
    with conn.cursor() as cur:
        cur.execute("select table_name, pg_total_relation_size(format('raw.%%I', table_name)) "
                    "from information_schema.tables where table_schema = 'raw' and table_name = any(%s)",
                    (list(tables),))
        return dict(cur.fetchall())


def reclaim(conn, tables: Iterable[str], *, full: bool) -> None:
    """VACUUM the compacted tables: FULL gives the space back to the disk (rewrites the table under
    an exclusive lock: loads and builds wait for it), plain VACUUM makes it reusable by later loads."""
    previous = conn.autocommit
    conn.autocommit = True  # VACUUM cannot run inside a transaction
    try:
        with conn.cursor() as cur:
            for table in tables:
                cur.execute(sql.SQL("vacuum ({}analyze) {}").format(
                    sql.SQL("full, " if full else ""), sql.Identifier("raw", table)))
    finally:
        conn.autocommit = previous
