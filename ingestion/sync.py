"""What every platform sync shares: the date window, the per-account result, the context.

A platform module implements `sync_account(ctx, client) -> None`: it builds raw batches with
`ctx.batch(...)` and lands them with `ctx.commit(...)` (one transaction per committed step,
together with the cursors that step completes), and records progress on `ctx.result`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import orjson

from core.redaction import Redactor
from core.warehouse.loader import CursorUpdate, LoadResult, RawBatch, RawLoader, RawRecord, Rejected

FULL_REFRESH_DAYS = 7  # every post's lifetime is re-read at least weekly (X, Facebook, Instagram)


@dataclass(frozen=True)
class Window:
    """Inclusive date range a sync reads daily reports for."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"window end {self.end} is before its start {self.start}")

    def days(self) -> int:
        return (self.end - self.start).days + 1


def sync_window(
    requested: Window,
    cursor: date | None,
    *,
    lookback_days: int,
    today: date,
    history_start: date,
    initial_sync_days: int,
) -> Window:
    """The dates to (re-)read for one account.

    - First sync of an account (no cursor): load its history, back to
      max(history_start, today − initial_sync_days) — a fresh install gets a useful past.
    - Later syncs: the requested partition range, widened back to `cursor − lookback_days + 1`
      so missed runs are caught up and late-arriving data (platform lag) is re-read.
    - Never past today, never before history_start.
    """
    end = min(requested.end, today)
    if cursor is None:
        start = min(requested.start, max(history_start, today - timedelta(days=initial_sync_days)))
    else:
        start = min(requested.start, cursor - timedelta(days=max(lookback_days - 1, 0)))
    start = max(start, history_start)
    return Window(min(start, end), end)


@dataclass
class AccountResult:
    platform: str
    account_id: str
    started_at: datetime
    status: str = "success"
    rows_loaded: int = 0
    api_calls: int = 0
    error_class: str | None = None
    message: str | None = None
    retry_at: datetime | None = None
    warnings: list[str] = field(default_factory=list)
    streams: dict[str, int] = field(default_factory=dict)

    def loaded(self, stream: str, rows: int) -> None:
        self.rows_loaded += rows
        self.streams[stream] = self.streams.get(stream, 0) + rows


@dataclass
class SyncContext:
    platform: str
    account_id: str
    account_name: str
    loader: RawLoader
    window: Window
    now: datetime
    run_id: str
    result: AccountResult
    log: logging.Logger
    read_cursor: Callable[[str], str | None]
    progress: Callable[[str], None] = lambda message: None
    redactor: Redactor = field(default_factory=Redactor)
    history_start: date | None = None

    def batch(self, table: str, endpoint: str, params: dict, records: list[RawRecord]) -> RawBatch:
        """This account's records of one call; the request parameters are stored redacted."""
        return RawBatch(table=table, platform=self.platform, account_id=self.account_id, endpoint=endpoint,
                        request_params=self.redactor.redact_params(params), fetched_at=self.now,
                        records=list(records))

    def commit(self, batches: list[RawBatch], cursors: list[CursorUpdate] = (),
               rejected: list[Rejected] = ()) -> LoadResult:
        """One transaction: the batches, the records refused with them and the cursors they complete."""
        result = self.loader.commit([b for b in batches if b.records], rejected=rejected, cursors=cursors)
        for batch in batches:
            self.result.loaded(batch.table, len(batch.records))
        self.log.debug("%s %s: committed %s new rows", self.platform, self.account_id, result.inserted)
        return result

    def cursor(self, stream: str, value: str) -> CursorUpdate:
        return CursorUpdate(self.platform, self.account_id, stream, value)

    def analytics_cursor(self) -> CursorUpdate:
        """The `analytics` cursor at the window's end — never moved back: a backfill of an old range
        must not make the next run re-read months (ISO dates compare as text)."""
        return self.cursor("analytics", max(self.window.end.isoformat(), self.read_cursor("analytics") or ""))

    def full_refresh_due(self) -> CursorUpdate | None:
        """The `posts_full_refresh` cursor when every post is due a re-read (never read, or a week
        since the last time), else None. Lifetime counters of old posts keep moving; a sync that
        re-reads only recent posts would freeze them. Commit the cursor after the re-read landed."""
        last = self.read_cursor("posts_full_refresh")
        if last is not None and datetime.fromisoformat(last) > self.now - timedelta(days=FULL_REFRESH_DAYS):
            return None
        return self.cursor("posts_full_refresh", self.now.isoformat())

    def warn(self, message: str) -> None:
        """A warning of this account's sync (kept once in ops.sync_results, logged)."""
        if message not in self.result.warnings:
            self.result.warnings.append(message)
            self.log.warning("%s %s: %s", self.platform, self.account_id, message)


def record_result(conn, run_id: str, result: AccountResult) -> None:
    """One row in ops.sync_results per account and run (the message is already redacted)."""
    with conn, conn.cursor() as cur:
        cur.execute(
            "insert into ops.sync_results (run_id, platform, account_id, status, rows_loaded, api_calls, "
            "error_class, message, retry_at, warnings, started_at) "
            "values (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s::jsonb, %s)",
            (run_id, result.platform, result.account_id, result.status, result.rows_loaded, result.api_calls,
             result.error_class, result.message, result.retry_at,
             orjson.dumps(result.warnings).decode(), result.started_at),
        )
