"""Landing helpers shared by the Display and Business steps: raw batches, commits, the cursor."""

from __future__ import annotations

from datetime import date

from core.warehouse.loader import CursorUpdate, RawBatch, RawRecord
from ingestion.sync import SyncContext
from ingestion.tiktok.client import Fetched

PLATFORM = "tiktok"


def batch(ctx: SyncContext, table: str, fetched: Fetched, records: list[RawRecord]) -> RawBatch:
    return RawBatch(table=table, platform=PLATFORM, account_id=ctx.account_id, endpoint=fetched.endpoint,
                    request_params=fetched.params, fetched_at=ctx.now, records=records)


def commit(ctx: SyncContext, batches: list[RawBatch], cursors: list[CursorUpdate] = ()) -> None:
    result = ctx.loader.commit(batches, cursors=cursors)
    for item in batches:
        ctx.result.loaded(item.table, len(item.records))
    ctx.log.debug("%s %s: committed %s new rows", PLATFORM, ctx.account_id, result.inserted)


def analytics_cursor(ctx: SyncContext) -> CursorUpdate:
    """Never moves back: a backfill of an old range must not make the next run re-read months."""
    previous = ctx.read_cursor("analytics")
    end = ctx.window.end if previous is None else max(ctx.window.end, date.fromisoformat(previous))
    return CursorUpdate(PLATFORM, ctx.account_id, "analytics", end.isoformat())
