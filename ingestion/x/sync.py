"""One X account's sync: what to fetch, in which order, and what each commit covers.

 1. user snapshot (followers, following, posts, listed) — X keeps no history, so every run's
    snapshot is the history;
 2. recent slice: posts of the last 30 days, every run (their counters still move), with the
    owner-only metrics when a user-context token is set; one commit per page, the
    `posts_recent` cursor in the commit of the last page;
 3. older slice: every post before the recent slice once a week (`posts_full_refresh`), else
    only a requested past window (backfill) — public metrics only, X refuses owner-only ones
    past 30 days;
 4. the `analytics` cursor (the runner's window) — it never moves backwards for a backfill.
A run stopped in step 2 or 3 keeps every committed page; the unmoved cursor makes the next
run read the slice again (identical payloads are not stored twice).
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, time, timedelta

from core.warehouse.loader import CursorUpdate, RawRecord
from ingestion.sync import SyncContext
from ingestion.x.client import XClient

RECENT_DAYS = 30
RECENT_MARGIN = timedelta(minutes=10)  # stay clear of the 30-day edge of owner-only metrics
TIMELINE = "users/:id/tweets"


def sync_account(ctx: SyncContext, client: XClient) -> None:
    client.registry.attach(ctx.warn)
    user = client.user(ctx.account_id)
    ctx.result.api_calls += 1
    ctx.commit([ctx.batch("x_users", "users/:id", {"user.fields": "public_metrics"},
                         [RawRecord(user["id"], user)])])
    recent_start = ctx.now - timedelta(days=RECENT_DAYS) + RECENT_MARGIN
    _sync_slice(ctx, client, "recent", recent_start, None,
                ctx.cursor("posts_recent", ctx.now.isoformat()))
    older = _older_slice(ctx, recent_start)
    if older is not None:
        _sync_slice(ctx, client, *older)
    ctx.commit([], cursors=[ctx.analytics_cursor()])


def _older_slice(ctx: SyncContext, recent_start: datetime):
    """(kind, start, end, cursor) of the older posts due this run, or None."""
    full = ctx.full_refresh_due()
    if full is not None:
        return ("older", None, recent_start, full)
    start = datetime.combine(ctx.window.start, time(), UTC)
    if start >= recent_start:
        return None
    end = min(datetime.combine(ctx.window.end + timedelta(days=1), time(), UTC), recent_start)
    label = f"{ctx.window.start.isoformat()}..{ctx.window.end.isoformat()}"
    return ("backfill", start, end, ctx.cursor("posts_backfill", label))


def _sync_slice(ctx: SyncContext, client: XClient, kind: str, start: datetime | None, end: datetime | None,
                cursor: CursorUpdate) -> None:
    """Page through one time slice, one commit per page; the cursor rides on the last page."""
    refused: Counter[str] = Counter()
    posts = 0
    pages = client.timeline_pages(ctx.account_id, "recent" if kind == "recent" else "older", start, end)
    for page in pages:
        ctx.result.api_calls += 1
        body = page.data or {}
        tweets = [RawRecord(t["id"], t) for t in body.get("data") or []]
        media = [RawRecord(m["media_key"], m) for m in (body.get("includes") or {}).get("media") or []]
        for error in body.get("errors") or []:
            refused[f"{error.get('title', 'error')} on {error.get('parameter', '?')}"] += 1
        last = not (body.get("meta") or {}).get("next_token")
        params = dict(page.request.params)
        ctx.commit([ctx.batch("x_posts", TIMELINE, params, tweets),
                      ctx.batch("x_media", TIMELINE, params, media)],
                cursors=[cursor] if last else [])
        posts += len(tweets)
        ctx.progress(f"{kind} posts: {posts}")
    for what, count in sorted(refused.items()):
        ctx.result.warnings.append(f"x: {kind} posts: {what} for {count} posts (partial answer; the public "
                                   "metrics of those posts were kept)")
