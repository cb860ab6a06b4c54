"""Account-level insights of one Instagram account over the sync window, and demographics.

- `reach` (time series, ≤ 30 days a call) over the whole window;
- `follower_count` (time series, only the last 30 days exist) for the part of the window in them;
- total_value metrics per day: one call for the plain metrics, one for `follows_and_unfollows`
  by follow_type (a breakdown fails with other metrics). On a first sync only the newest
  `initial_total_value_days` days are read (two calls per day); backfills read their whole range;
- demographics (3 audiences × age/gender/country/city, this_month, top 45).
The `analytics` cursor moves in the commit of the last total_value day, after reach committed;
it never moves backwards (a backfill of an old range leaves it).
"""

from __future__ import annotations

from datetime import date, timedelta

from core.warehouse.loader import RawRecord
from ingestion.http import InvalidRequestError
from ingestion.instagram.client import (
    DEMOGRAPHIC_BREAKDOWNS,
    DEMOGRAPHIC_METRICS,
    TOTAL_VALUE_METRICS,
    InstagramClient,
    value_date,
)
from ingestion.sync import SyncContext

SERIES_DAYS = 30
TOTALS_BATCH = 10


def sync_account_insights(ctx: SyncContext, client: InstagramClient) -> None:
    window, today = ctx.window, ctx.now.date()
    records = []
    start = window.start
    while start <= window.end:
        end = min(start + timedelta(days=SERIES_DAYS - 1), window.end)
        records += _series_records(client.time_series("reach", start, end))
        start = end + timedelta(days=1)
    follower_start = max(window.start, today - timedelta(days=SERIES_DAYS - 1))
    if follower_start <= window.end:
        records += _series_records(client.time_series("follower_count", follower_start, window.end))
    ctx.commit([ctx.batch("instagram_account_daily", "insights", {
        "metric": "reach,follower_count", "period": "day", "metric_type": "time_series",
        "since": window.start.isoformat(), "until": window.end.isoformat()}, records)])
    _sync_totals(ctx, client)


def _series_records(body: dict) -> list[RawRecord]:
    records = []
    for item in body.get("data") or []:
        for value in item.get("values") or []:
            day = value_date(value["end_time"]).isoformat()
            records.append(RawRecord(f"{item['name']}|{day}", {"name": item["name"], "period": item.get("period"),
                                                                "date": day, **value}))
    return records


def _total_days(ctx: SyncContext, initial_days: int) -> list[date]:
    window = ctx.window
    start = window.start
    if ctx.read_cursor("analytics") is None:
        start = max(start, window.end - timedelta(days=initial_days - 1))
    return [start + timedelta(days=n) for n in range((window.end - start).days + 1)]


def _sync_totals(ctx: SyncContext, client: InstagramClient) -> None:
    days = _total_days(ctx, client.initial_total_value_days)
    cursors = [ctx.analytics_cursor()]
    records = []
    for index, day in enumerate(days, start=1):
        plain = client.total_value(day, TOTAL_VALUE_METRICS).get("data") or []
        follows = client.total_value(day, ("follows_and_unfollows",), "follow_type").get("data") or []
        records.append(RawRecord(day.isoformat(), {"date": day.isoformat(), "data": plain + follows}))
        last = index == len(days)
        if index % TOTALS_BATCH == 0 or last:
            ctx.commit([ctx.batch("instagram_account_totals", "insights", {
                "metric": ",".join((*TOTAL_VALUE_METRICS, "follows_and_unfollows")), "period": "day",
                "metric_type": "total_value"}, records)], cursors=cursors if last else ())
            records = []
    if not days:
        ctx.commit([], cursors=cursors)


def sync_demographics(ctx: SyncContext, client: InstagramClient) -> None:
    """Demographics need enough followers/engagement; a refusal is a warning, not a failed sync."""
    records, today = [], ctx.now.date().isoformat()
    for metric in DEMOGRAPHIC_METRICS:
        for breakdown in DEMOGRAPHIC_BREAKDOWNS:
            try:
                body = client.demographics(metric, breakdown)
            except InvalidRequestError as error:
                ctx.result.warnings.append(f"instagram {metric} by {breakdown} unavailable: {error.message}")
                continue
            for item in body.get("data") or []:
                records.append(RawRecord(f"{metric}|{breakdown}|{today}", {
                    **item, "breakdown": breakdown, "timeframe": "this_month", "snapshot_date": today}))
    ctx.commit([ctx.batch("instagram_demographics", "insights", {
        "period": "lifetime", "metric_type": "total_value", "timeframe": "this_month"}, records)])
