"""Raw batches and commits for the Facebook sync (request params stored redacted)."""

from __future__ import annotations

from core.warehouse.loader import CursorUpdate, RawBatch, RawRecord
from ingestion.sync import SyncContext

PLATFORM = "facebook"
STATUS_MEDIA = {"added_photos": "image", "shared_story": "link", "added_video": "video",
                "mobile_status_update": "text", "created_note": "text", "published_story": "text"}


def media_of_post(item: dict) -> str:
    return STATUS_MEDIA.get(item.get("status_type", ""), "text")


def raw_batch(ctx: SyncContext, table: str, endpoint: str, params: dict, records: list[RawRecord]) -> RawBatch:
    """`params` must already be redacted (FacebookClient.safe)."""
    return RawBatch(table=table, platform=PLATFORM, account_id=ctx.account_id, endpoint=endpoint,
                    request_params=dict(params), fetched_at=ctx.now,
                    records=records)


def commit(ctx: SyncContext, batches: list[RawBatch], cursors: list[CursorUpdate] = ()) -> None:
    result = ctx.loader.commit(batches, cursors=cursors)
    for batch in batches:
        ctx.result.loaded(batch.table, len(batch.records))
    ctx.log.debug("%s %s: committed %s new rows", PLATFORM, ctx.account_id, result.inserted)
