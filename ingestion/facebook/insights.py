"""Insight steps of the Facebook sync: post/video lifetime insights, Page insights by day, audience.

Metric lists come from the platform limits (env-overridable) through the registry, per media
type. Each value keeps the name Graph answered with; `requested_as` records the configured
(retired) name when the registry asked for its successor instead.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from core.warehouse.loader import RawRecord
from ingestion.facebook.client import FacebookClient
from ingestion.sync import SyncContext, Window

PACIFIC = ZoneInfo("America/Los_Angeles")
MEDIA_BATCH = 50
MEDIA_STEPS = {  # kind -> (registry scope, raw table, Graph edge)
    "post": ("post", "facebook_post_insights", "insights"),
    "video": ("video", "facebook_video_insights", "video_insights"),
}


def metric_date(end_time: str) -> date:
    """Graph stamps a day's value with the next midnight Pacific time: the day before, in PT."""
    moment = datetime.strptime(end_time, "%Y-%m-%dT%H:%M:%S%z")
    return moment.astimezone(PACIFIC).date() - timedelta(days=1)


def sync_media_insights(ctx: SyncContext, client: FacebookClient, kind: str, media: dict[str, str]) -> None:
    """Lifetime insights of each listed post (or Reel/video), committed per 50 objects."""
    scope, table, edge = MEDIA_STEPS[kind]
    records: list[RawRecord] = []
    withheld = 0
    ids = sorted(media)
    for index, object_id in enumerate(ids, start=1):
        wanted = client.registry.plan(scope, media[object_id])
        data = client.insights(f"{object_id}/{edge}", list(wanted), media[object_id], period="lifetime") if wanted else []
        if data is None:
            withheld += 1
        elif data:
            payload = {f"{kind}_id": object_id, "media_type": media[object_id], "period": "lifetime", "data": data}
            renamed = {api: source for api, source in wanted.items() if api != source}
            if renamed:
                payload["requested_as"] = renamed
            records.append(RawRecord(object_id, payload))
        if index % MEDIA_BATCH == 0 or index == len(ids):
            ctx.commit([ctx.batch(table, edge, client.safe({"period": "lifetime"}), records)])
            records = []
            ctx.progress(f"{kind} insights: {index}/{len(ids)}")
    if withheld:
        client.registry.warn(f"{withheld} {kind}(s) have too few viewers for insights (#10): no data, skipped")


def _chunks(window: Window, max_days: int) -> list[Window]:
    out, start = [], window.start
    while start <= window.end:
        end = min(start + timedelta(days=max_days - 1), window.end)
        out.append(Window(start, end))
        start = end + timedelta(days=1)
    return out


def sync_page_insights(ctx: SyncContext, client: FacebookClient) -> None:
    """Page metrics by day over the window; the `analytics` cursor rides on the last chunk's commit."""
    wanted = client.registry.plan("page_day")
    chunks = _chunks(ctx.window, int(client.config.get("page_insights_max_days", 90)))
    for number, chunk in enumerate(chunks, start=1):
        params = {"period": "day", "since": chunk.start.isoformat(), "until": (chunk.end + timedelta(days=1)).isoformat()}
        data = client.insights(f"{ctx.account_id}/insights", list(wanted), **params) if wanted else []
        records = []
        for entry in data or []:
            for value in entry.get("values") or []:
                day = metric_date(value["end_time"])
                if not chunk.start <= day <= chunk.end:
                    continue
                payload = {"name": entry["name"], "period": entry.get("period", "day"), **value}
                if wanted.get(entry["name"], entry["name"]) != entry["name"]:
                    payload["requested_as"] = wanted[entry["name"]]
                records.append(RawRecord(f"{day.isoformat()}|{entry['name']}", payload))
        last = number == len(chunks)
        cursors = [ctx.analytics_cursor()] if last else []
        ctx.commit([ctx.batch("facebook_page_insights", "insights", client.safe(params), records)], cursors)


def sync_audience(ctx: SyncContext, client: FacebookClient) -> None:
    """Follows by country / city (lifetime). Small Pages get (#10): no data, a warning."""
    wanted = client.registry.plan("page_lifetime")
    if not wanted:
        return
    data = client.insights(f"{ctx.account_id}/insights", list(wanted), period="lifetime")
    if data is None:
        client.registry.warn("follower demographics withheld by Graph (#10: fewer than 100 followers)")
        return
    records = []
    for entry in data:
        for value in entry.get("values") or []:
            stamp = value.get("end_time", ctx.now.strftime("%Y-%m-%dT%H:%M:%S+0000"))
            payload = {"name": entry["name"], "period": entry.get("period", "lifetime"), **value}
            records.append(RawRecord(f"{metric_date(stamp).isoformat()}|{entry['name']}", payload))
    ctx.commit([ctx.batch("facebook_page_audience", "insights", client.safe({"period": "lifetime"}), records)])
