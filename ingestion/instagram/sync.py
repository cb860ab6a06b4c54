"""One Instagram account's sync: what to fetch, in which order, and what each commit covers.

Each numbered step is one transaction (or several, each complete), so a stop keeps what came before:
 1. user snapshot (followers/follows/media counts);
 2. media list, committed page by page (cursor paging to the end; snapshots are history);
 3. live stories (listed for 24 h only, so every run takes what is there);
 4. media insights: media published in the last `media_insights_lookback_days` (late data), media
    never read, and live stories — once a week every media (`posts_full_refresh`, committed after
    the last batch), so old posts' lifetimes never freeze; committed per 25 media. A retired/unsupported metric is dropped
    with a warning, never fatal; "not enough viewers" is landed as no data (not zeros);
 5. account insights over the window (see account_sync), whose last commit moves the
    `analytics` cursor; 6. demographics.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from core.warehouse.loader import RawRecord, existing_keys
from ingestion.http import NotFoundError
from ingestion.instagram.account_sync import sync_account_insights, sync_demographics
from ingestion.instagram.client import InstagramClient, MediaInsights
from ingestion.sync import SyncContext

INSIGHTS_BATCH = 25


def sync_account(ctx: SyncContext, client: InstagramClient) -> None:
    client.registry.attach(ctx.warn)
    try:
        user = client.user()
        ctx.commit([ctx.batch("instagram_users", "user", {"fields": "followers_count,follows_count,"
                                                                    "media_count"}, [RawRecord(ctx.account_id, user)])])
        media = _sync_media(ctx, client, stories=False)
        media.update(_sync_media(ctx, client, stories=True))
        _sync_media_insights(ctx, client, media)
        sync_account_insights(ctx, client)
        sync_demographics(ctx, client)
    finally:
        ctx.result.api_calls += client.calls
        client.calls = 0


def _sync_media(ctx: SyncContext, client: InstagramClient, stories: bool) -> dict[str, dict]:
    """Every page is committed as it arrives, so a stop on page N keeps pages 1..N-1."""
    found: dict[str, dict] = {}
    for page in client.media_pages(stories=stories):
        records = []
        for item in page.data.get("data") or []:
            found[item["id"]] = item
            records.append(RawRecord(item["id"], item))
        params = {k: v for k, v in page.request.params.items() if k not in ("after", "before")}  # no page cursors
        ctx.commit([ctx.batch("instagram_media", "stories" if stories else "media", params, records)])
    ctx.progress(f"{len(found)} {'stories' if stories else 'media'} listed")
    return found


def _due(ctx: SyncContext, media: dict[str, dict], known: set[str], lookback_days: int,
         everything: bool) -> list[str]:
    if everything:
        return sorted(media)
    recent = ctx.now - timedelta(days=lookback_days)
    due = []
    for media_id, item in media.items():
        published = datetime.strptime(item["timestamp"], "%Y-%m-%dT%H:%M:%S%z")
        if published >= recent or media_id not in known or item.get("media_product_type") == "STORY":
            due.append(media_id)
    return sorted(due)


def _sync_media_insights(ctx: SyncContext, client: InstagramClient, media: dict[str, dict]) -> None:
    known = existing_keys(ctx.loader.conn, "instagram_media_insights", ctx.account_id)
    full = ctx.full_refresh_due()
    due = _due(ctx, media, known, client.insights_lookback_days, everything=full is not None)
    records: list[RawRecord] = []
    for index, media_id in enumerate(due, start=1):
        product = media[media_id].get("media_product_type")
        try:
            insights = client.media_insights(media_id, product)
        except NotFoundError:
            ctx.result.warnings.append(f"instagram media {media_id} disappeared before its insights were read")
            continue
        records.append(RawRecord(media_id, _insights_payload(media_id, product, insights)))
        if index % INSIGHTS_BATCH == 0 or index == len(due):
            ctx.commit([ctx.batch("instagram_media_insights", "insights",
                                       {"period": "lifetime", "lookback_days": client.insights_lookback_days},
                                       records)])
            records = []
            ctx.progress(f"media insights: {index}/{len(due)}")
    if records:
        ctx.commit([ctx.batch("instagram_media_insights", "insights", {"period": "lifetime"}, records)])
    if full is not None:
        ctx.commit([], cursors=[full])


def _insights_payload(media_id: str, product: str | None, insights: MediaInsights) -> dict:
    """The API's data items as they came; a successor standing in for a retired metric keeps its source name."""
    data = [{**item, "source_name": insights.source_names[item.get("name")]}
            if item.get("name") in insights.source_names else item for item in insights.data]
    payload = {"media_id": media_id, "media_product_type": product, "metrics": list(insights.requested),
               "data": data}
    if insights.unavailable:
        payload["unavailable"] = insights.unavailable
    return payload
