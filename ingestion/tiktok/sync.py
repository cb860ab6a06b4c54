"""One TikTok account's sync: what to fetch, in which order, and what each commit covers.

Display API v2 has no history, so every run takes snapshots (Business API daily metrics, when
configured, are the only per-day numbers; see business_sync.py). Each step is one transaction:
 1. user/info snapshot (a missing user.info.stats scope is a warning, not a dead sync);
 2. video/list newest first, one commit per page; the walk ends when `has_more` is false or,
    once a previous walk completed, when it reaches videos older than that walk's newest video
    minus LIST_OVERLAP (late-appearing videos); the `video_list` cursor (newest create_time,
    seconds) is written only in the commit of the walk's last page — a walk stopped midway
    leaves it, and the next run walks again from the top;
 3. video/query (20 ids a call) refreshes the counts of known videos the walk did not reach,
    committed per QUERY_COMMIT_EVERY calls;
 4. Business API (optional): lifetime video insights, daily account metrics + the `analytics` cursor.
"""

from __future__ import annotations

from datetime import date, timedelta

from core.warehouse.loader import RawBatch, RawRecord, existing_keys
from ingestion.http import AuthError, RateLimitedError
from ingestion.sync import SyncContext
from ingestion.tiktok.business_sync import sync_business
from ingestion.tiktok.client import MAX_COUNT, TikTokClient

LIST_OVERLAP = timedelta(days=3)
QUERY_COMMIT_EVERY = 10
THROTTLE_RETRY = timedelta(minutes=1)  # TikTok limits are per sliding minute


def sync_account(ctx: SyncContext, client: TikTokClient) -> None:
    client.registry.attach(ctx.warn)
    calls_before = client.calls
    try:
        _sync_user(ctx, client)
        listed = _sync_video_list(ctx, client)
        _refresh_known_videos(ctx, client, listed)
        if client.has_business:
            sync_business(ctx, client)
        else:
            _note_backfill_without_history(ctx)
            ctx.commit([], cursors=[ctx.analytics_cursor()])
    except RateLimitedError as error:
        if error.retry_at is None:  # retries exhausted without a server hint: the minute window
            error.retry_at = ctx.now + THROTTLE_RETRY
        raise
    finally:
        ctx.result.api_calls += client.calls - calls_before


def _sync_user(ctx: SyncContext, client: TikTokClient) -> None:
    try:
        fetched = client.user_info()
    except AuthError as error:
        if error.code != "scope_not_authorized":
            raise
        ctx.result.warnings.append(f"user/info skipped (account stats need scope user.info.stats): {error.message}")
        return
    user = fetched.data.get("user") or {}
    if user.get("open_id") and user["open_id"] != ctx.account_id:
        ctx.result.warnings.append(f"token belongs to open_id {user['open_id']}, tidemark.yaml says "
                                   f"{ctx.account_id}; data is stored under the latter")
    ctx.commit([ctx.batch("tiktok_users", fetched.endpoint, fetched.params,
                          [RawRecord(ctx.account_id, user)])])


def _sync_video_list(ctx: SyncContext, client: TikTokClient) -> set[str]:
    previous = ctx.read_cursor("video_list")
    stop_before = int(previous) - int(LIST_OVERLAP.total_seconds()) if previous else None
    listed: set[str] = set()
    newest = int(previous or 0)
    for page in client.video_pages():
        videos = page.data.get("videos") or []
        times = [int(video["create_time"]) for video in videos if "create_time" in video]
        listed.update(str(video["id"]) for video in videos)
        newest = max([newest, *times])
        done = not page.data.get("has_more") or (stop_before is not None and bool(times) and min(times) < stop_before)
        cursors = [ctx.cursor("video_list", str(newest))] if done else []
        ctx.commit([ctx.batch("tiktok_videos", page.endpoint, page.params,
                              [RawRecord(str(v["id"]), v) for v in videos])], cursors)
        if done:
            break
    ctx.progress(f"{len(listed)} videos listed")
    return listed


def _refresh_known_videos(ctx: SyncContext, client: TikTokClient, listed: set[str]) -> None:
    ids = sorted(existing_keys(ctx.loader.conn, "tiktok_videos", ctx.account_id) - listed)
    pending: list[RawBatch] = []
    for number, offset in enumerate(range(0, len(ids), MAX_COUNT), start=1):
        fetched = client.query_videos(ids[offset:offset + MAX_COUNT])
        videos = fetched.data.get("videos") or []
        pending.append(ctx.batch("tiktok_videos", fetched.endpoint, fetched.params,
                                 [RawRecord(str(v["id"]), v) for v in videos]))
        if number % QUERY_COMMIT_EVERY == 0 or offset + MAX_COUNT >= len(ids):
            ctx.commit(pending)
            pending = []
    if ids:
        ctx.progress(f"{len(ids)} older videos refreshed")


def _note_backfill_without_history(ctx: SyncContext) -> None:
    previous = ctx.read_cursor("analytics")
    if previous and ctx.window.start < date.fromisoformat(previous) - LIST_OVERLAP:
        ctx.result.warnings.append(
            f"backfill {ctx.window.start}..{ctx.window.end}: the Display API has no history (snapshots only); "
            "past days need the Business API (business_access_token)")
