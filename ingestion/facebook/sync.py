"""One Facebook Page's sync: what to fetch, in which order, and what each commit covers.

Order and commits (each step commits as it goes, so a stop keeps what came before):
 1. Page fields (followers_count, fan_count); 2. posts published since window start − recent days
 — once a week since history start (`posts_full_refresh`, committed after step 5), so old posts'
 lifetimes never freeze — (one commit per page of 100); 3. Reels and videos of the same span;
 4. lifetime insights of those posts, 5. of those Reels/videos (one commit per 50); 6. Page
 insights by day over the window in
 ≤ 90-day calls, the `analytics` cursor in the commit of the last chunk; 7. follows by country/city.
The cursor moves only in step 6, after everything of the window committed: a run stopped earlier
leaves it, and the next run re-reads the same window (lookback: 2 days).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from core.warehouse.loader import RawRecord
from ingestion.facebook.client import POST_FIELDS, VIDEO_FIELDS, FacebookClient
from ingestion.facebook.insights import sync_audience, sync_media_insights, sync_page_insights
from ingestion.sync import SyncContext

STATUS_MEDIA = {"added_photos": "image", "shared_story": "link", "added_video": "video",
                "mobile_status_update": "text", "created_note": "text", "published_story": "text"}


def media_of_post(item: dict) -> str:
    return STATUS_MEDIA.get(item.get("status_type", ""), "text")


def sync_account(ctx: SyncContext, client: FacebookClient) -> None:
    client.registry.attach(ctx.warn)
    before = client.calls
    try:
        _sync(ctx, client)
    finally:
        ctx.result.api_calls += client.calls - before


def _sync(ctx: SyncContext, client: FacebookClient) -> None:
    page = client.page(ctx.account_id)
    if str(page.get("id")) != ctx.account_id:
        ctx.result.warnings.append(f"token answers for Page {page.get('id')}, tidemark.yaml says {ctx.account_id}")
    ctx.commit([ctx.batch("facebook_pages", "page", {"fields": "followers_count,fan_count,..."},
                           [RawRecord(ctx.account_id, page)])])
    recent = int(client.config.get("post_insights_recent_days", 28))
    since = ctx.window.start - timedelta(days=recent)
    full = ctx.full_refresh_due()
    if full is not None and ctx.history_start is not None:  # weekly: every post since history start
        since = min(since, ctx.history_start)
    until = ctx.window.end + timedelta(days=1)
    videos = _sync_videos(ctx, client, since, until)
    posts = _sync_posts(ctx, client, since, until, videos)
    ctx.progress(f"{len(posts)} posts, {len(videos)} Reels/videos listed")
    sync_media_insights(ctx, client, "post", posts)
    sync_media_insights(ctx, client, "video", {vid: media for vid, (media, _) in videos.items()})
    if full is not None:
        ctx.commit([], cursors=[full])
    sync_page_insights(ctx, client)
    sync_audience(ctx, client)


def _epoch(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())


def _sync_posts(ctx: SyncContext, client: FacebookClient, since: date, until: date,
                videos: dict[str, tuple[str, str | None]]) -> dict[str, str]:
    """Post id → media type (reel/video from the video edges, else from status_type)."""
    by_post = {post_id: media for media, post_id in videos.values() if post_id}
    media: dict[str, str] = {}
    params = {"since": _epoch(since), "until": _epoch(until)}
    for page in client.edge(ctx.account_id, "posts", POST_FIELDS, **params):
        records = []
        for item in page.data.get("data") or []:
            media[item["id"]] = by_post.get(item["id"]) or media_of_post(item)
            records.append(RawRecord(item["id"], item))
        ctx.commit([ctx.batch("facebook_posts", "posts", client.safe(page.request.params), records)])
    return media


def _sync_videos(ctx: SyncContext, client: FacebookClient, since: date,
                 until: date) -> dict[str, tuple[str, str | None]]:
    """Video id → (reel | video, post id). The edges are newest first: stop at the first older item."""
    found: dict[str, tuple[str, str | None]] = {}
    for edge, media in (("video_reels", "reel"), ("videos", "video")):
        for page in client.edge(ctx.account_id, edge, VIDEO_FIELDS):
            items = page.data.get("data") or []
            fresh = [i for i in items if since.isoformat() <= i.get("created_time", "")[:10] < until.isoformat()]
            for item in fresh:
                found[item["id"]] = (media, item.get("post_id"))
            ctx.commit([ctx.batch("facebook_videos", edge, client.safe(page.request.params),
                                   [RawRecord(i["id"], i) for i in fresh])])
            if any(i.get("created_time", "")[:10] < since.isoformat() for i in items):
                break
    return found
