"""The Business API part of a TikTok sync (only with a business_access_token).

 a. /business/video/list/ — lifetime insights of every video (reach, favorites, watch time,
    completion rate), committed per BUSINESS_PAGES_PER_COMMIT pages; daily values come from
    successive snapshots in dbt (snapshot_daily_deltas), as the API has no per-video history;
 b. /business/get/ — per-date account metrics over the sync window, clamped to the API's 60-day
    look-back, in chunks of `business_days_per_call`; the last chunk also carries followers_count
    and the audience split, and its commit moves the `analytics` cursor (so a run stopped in an
    earlier chunk re-reads the whole window next time; the runner widens it by the lookback).
"""

from __future__ import annotations

from datetime import date, timedelta

from core.warehouse.loader import RawBatch, RawRecord
from ingestion.sync import SyncContext
from ingestion.tiktok.client import TikTokClient

BUSINESS_PAGES_PER_COMMIT = 5


def sync_business(ctx: SyncContext, client: TikTokClient) -> None:
    _sync_business_videos(ctx, client)
    _sync_business_daily(ctx, client)


def _sync_business_videos(ctx: SyncContext, client: TikTokClient) -> None:
    pending: list[RawBatch] = []
    for number, page in enumerate(client.business_video_pages(), start=1):
        videos = page.data.get("videos") or []
        pending.append(ctx.batch("tiktok_business_videos", page.endpoint, page.params,
                                 [RawRecord(str(v["item_id"]), v) for v in videos]))
        if number % BUSINESS_PAGES_PER_COMMIT == 0:
            ctx.commit(pending)
            pending = []
    if pending:
        ctx.commit(pending)


def chunks(start: date, end: date, days: int) -> list[tuple[date, date]]:
    """[start, end] as consecutive ranges of at most `days` days (empty when end < start)."""
    out = []
    while start <= end:
        last = min(start + timedelta(days=days - 1), end)
        out.append((start, last))
        start = last + timedelta(days=1)
    return out


def _sync_business_daily(ctx: SyncContext, client: TikTokClient) -> None:
    earliest = ctx.now.date() - timedelta(days=client.business_lookback_days - 1)
    if ctx.window.start < earliest:
        ctx.result.warnings.append(
            f"Business API daily metrics reach back {client.business_lookback_days} days: "
            f"{ctx.window.start}..{min(ctx.window.end, earliest - timedelta(days=1))} cannot be fetched")
    ranges = chunks(max(ctx.window.start, earliest), ctx.window.end, client.business_days_per_call)
    if not ranges:  # the whole window is older than the look-back: still refresh followers/audience
        fetched = client.business_account(None, None, daily=False, profile=True)
        ctx.commit([ctx.batch("tiktok_business_accounts", fetched.endpoint, fetched.params,
                              [RawRecord(ctx.account_id, fetched.data)])],
               cursors=[ctx.analytics_cursor()])
        return
    for index, (start, end) in enumerate(ranges, start=1):
        last = index == len(ranges)
        fetched = client.business_account(start, end, daily=True, profile=last)
        rows = fetched.data.get("metrics") or []
        batches = [ctx.batch("tiktok_business_daily", fetched.endpoint, fetched.params,
                             [RawRecord(str(row["date"]), row) for row in rows])]
        if last:
            profile = {key: value for key, value in fetched.data.items() if key != "metrics"}
            batches.append(ctx.batch("tiktok_business_accounts", fetched.endpoint, fetched.params,
                                     [RawRecord(ctx.account_id, profile)]))
        ctx.commit(batches, cursors=[ctx.analytics_cursor()] if last else [])
        ctx.progress(f"business daily metrics {start}..{end}")
