"""Statistics steps of a LinkedIn sync: post lifetimes, video analytics, daily org numbers."""

from __future__ import annotations

from datetime import date, timedelta

from core.warehouse.loader import RawRecord
from ingestion.http import InvalidRequestError
from ingestion.linkedin.client import LinkedInClient, media_type
from ingestion.linkedin.metrics import Metric
from ingestion.linkedin.restli import day_of
from ingestion.sync import SyncContext

STATS_LAG_DAYS = 2  # time-bound statistics end at today − 2 days
VIDEO_COMMIT_EVERY = 50


def known_posts(ctx: SyncContext) -> dict[str, str]:
    """Every post landed for the account before (URN → media type), from its latest payload."""
    with ctx.loader.conn.cursor() as cur:
        cur.execute("select distinct on (record_key) record_key, payload from raw.linkedin_posts "
                    "where account_id = %s order by record_key, fetched_at desc, raw_id desc", (ctx.account_id,))
        rows = cur.fetchall()
    ctx.loader.conn.commit()
    return {key: media_type(payload) for key, payload in rows}


def sync_post_stats(ctx: SyncContext, client: LinkedInClient, urns: list[str]) -> None:
    size = max(client.options.stats_batch, 1)
    for offset in range(0, len(urns), size):
        params, body = client.share_statistics(urns[offset:offset + size])
        ctx.result.api_calls += 1
        records = []
        for element in body.get("elements") or []:
            urn = element.get("share") or element.get("ugcPost")
            statistics = element.get("totalShareStatistics") or {}
            for name in client.registry.missing_fields(statistics, lifetime=True):
                client.registry.reject(name, "missing from totalShareStatistics")
            if urn:
                records.append(RawRecord(urn, {"post_urn": urn, **element}))
        ctx.commit([ctx.batch("linkedin_post_stats", "organizationalEntityShareStatistics", params, records)])
    ctx.progress(f"lifetime statistics of {len(urns)} posts")


def sync_video_stats(ctx: SyncContext, client: LinkedInClient, urns: list[str]) -> None:
    records: list[RawRecord] = []
    for index, urn in enumerate(urns, start=1):
        for request_name, name in client.registry.plan("video", "video").items():
            record = _video_metric(ctx, client, urn, request_name, client.registry.metric(name))
            if record is not None:
                records.append(record)
        if index % VIDEO_COMMIT_EVERY == 0 or index == len(urns):
            ctx.commit([ctx.batch("linkedin_video_stats", "videoAnalytics", {"q": "entity", "aggregation": "ALL"},
                               records)])
            records = []


def _video_metric(ctx: SyncContext, client: LinkedInClient, urn: str, request_name: str,
                  metric: Metric) -> RawRecord | None:
    """One (video, metric) value; a metric the API rejects is dropped, never fatal."""
    try:
        _, body = client.video_analytics(urn, request_name)
    except InvalidRequestError as error:
        ctx.result.api_calls += 1
        client.registry.reject(metric.name, error.message)
        return None
    ctx.result.api_calls += 1
    elements = body.get("elements") or []
    value = elements[0].get("value") if elements else None
    payload = {"post_urn": urn, "metric": metric.canonical, "type": request_name,
               "source_type": metric.name, "value": value,
               "timeRange": elements[0].get("timeRange") if elements else None}
    return RawRecord(f"{urn}|{metric.canonical}", payload)


def stats_window(ctx: SyncContext, max_history_days: int) -> tuple[date, date] | None:
    """The window clamped to what the API serves: ≤ today − 2 days, ≥ today − max_history_days."""
    today = ctx.now.date()
    last = min(ctx.window.end, today - timedelta(days=STATS_LAG_DAYS))
    first = max(ctx.window.start, today - timedelta(days=max_history_days))
    if first > ctx.window.start:
        ctx.result.warnings.append(f"linkedin keeps {max_history_days} days of statistics: {ctx.window.start}.."
                                   f"{first - timedelta(days=1)} cannot be read")
    return (first, last) if first <= last else None


def sync_daily(ctx: SyncContext, client: LinkedInClient) -> None:
    window = stats_window(ctx, client.options.max_history_days)
    if window is None:
        return
    first, last = window
    shares, gains = [], []
    chunk_start = first
    while chunk_start <= last:
        chunk_end = min(last, chunk_start + timedelta(days=max(client.options.max_days, 1) - 1))
        shares += _daily_records(client.daily_share_statistics(chunk_start, chunk_end)[1])
        gains += _daily_records(client.daily_follower_gains(chunk_start, chunk_end)[1])
        ctx.result.api_calls += 2
        chunk_start = chunk_end + timedelta(days=1)
    previous = ctx.read_cursor("analytics")
    cursor = max(last.isoformat(), previous) if previous else last.isoformat()
    params = {"q": "organizationalEntity", "timeGranularityType": "DAY", "start": first.isoformat(),
              "end": last.isoformat()}
    ctx.commit([ctx.batch("linkedin_share_daily", "organizationalEntityShareStatistics", params, shares),
                ctx.batch("linkedin_follower_daily", "organizationalEntityFollowerStatistics", params, gains)],
               cursors=[ctx.cursor("analytics", cursor)])
    ctx.progress(f"daily statistics {first}..{last}")


def _daily_records(body: dict) -> list[RawRecord]:
    records = []
    for element in body.get("elements") or []:
        day = day_of(element["timeRange"]["start"]).isoformat()
        records.append(RawRecord(day, {"date": day, **element}))
    return records
