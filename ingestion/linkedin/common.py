"""Helpers shared by the sync steps: raw batches, commits, media types of posts."""

from __future__ import annotations

from core.warehouse.loader import CursorUpdate, RawBatch, RawRecord
from ingestion.sync import SyncContext

PLATFORM = "linkedin"


def batch(ctx: SyncContext, table: str, endpoint: str, params: dict, records: list[RawRecord],
          redactor=None) -> RawBatch:
    stored = redactor.redact_params(params) if redactor is not None else dict(params)
    return RawBatch(table=table, platform=PLATFORM, account_id=ctx.account_id, endpoint=endpoint,
                    request_params=stored, fetched_at=ctx.now, records=records)


def commit(ctx: SyncContext, batches: list[RawBatch], cursors: list[CursorUpdate] = ()) -> None:
    """One transaction: the batches and the cursors they complete."""
    result = ctx.loader.commit(batches, cursors=cursors)
    for item in batches:
        ctx.result.loaded(item.table, len(item.records))
    ctx.log.debug("%s %s: committed %s new rows", PLATFORM, ctx.account_id, result.inserted)


def media_type(post: dict) -> str:
    """text | image | video | link | carousel, from the Posts API `content` shape."""
    content = post.get("content") or {}
    if "multiImage" in content or "carousel" in content:
        return "carousel"
    if "article" in content:
        return "link"
    media_id = str((content.get("media") or {}).get("id", ""))
    if media_id.startswith("urn:li:video:"):
        return "video"
    if media_id.startswith("urn:li:document:"):
        return "carousel"  # PDF documents read as swipeable carousels
    if media_id.startswith("urn:li:image:"):
        return "image"
    return "text"
