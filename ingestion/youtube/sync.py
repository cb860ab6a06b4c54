"""One YouTube channel's sync: what to fetch, in which order, and what each commit covers.

Order and commits (each numbered step is one transaction, so a failure keeps what came before):
 1. channel snapshot; 2. uploads playlist (all pages); 3. video snapshots, 50 ids a call,
 committed per 500 videos; 3b. once per video published before the first day the day rows
 cover: its totals of the days before it (200 videos a call); 4. day × content-type analytics per video over the window,
 committed per 50 videos; 5. channel day analytics + the `analytics` cursor; 6. retention
 curves of recent videos; 7. demographics of the last 28 days.
The analytics cursor moves only in step 5, after all per-video rows of the window committed:
a run stopped by quota in step 4 leaves it, and the next run re-reads the same window.
"""

from __future__ import annotations

from datetime import date, timedelta

from core.warehouse.loader import RawRecord, Rejected, existing_keys
from ingestion.sync import SyncContext
from ingestion.youtube.client import YouTubeClient, split_result

RETENTION_RECENT_DAYS = 28
VIDEO_BATCH = 500
ANALYTICS_BATCH = 50
TOTALS_BATCH = 200  # the Analytics API's maxResults for dimensions=video


def result_rows(ctx: SyncContext, table: dict, raw_table: str, key: str) -> list[dict]:
    """Rows of an Analytics table; rows that disagree with the headers are quarantined, not guessed.
    For rows that are records of their own (one day, one video): the good ones still land."""
    rows, malformed = split_result(table)
    if malformed:
        ctx.warn(f"{raw_table} {key}: {len(malformed)} row(s) do not match the column headers")
        ctx.commit([], rejected=[Rejected(raw_table, ctx.platform, ctx.account_id, key, table, "schema",
                                                 "rows do not match columnHeaders")])
    return rows


def whole_result(ctx: SyncContext, table: dict, raw_table: str, key: str) -> list[dict] | None:
    """Rows of an Analytics table that lands as one record (a curve, a breakdown): None when any row
    was malformed — the response is quarantined whole and the stored version stays current (a
    partial or empty replacement would silently shrink the series)."""
    rows, malformed = split_result(table)
    if malformed:
        result_rows(ctx, table, raw_table, key)
        ctx.warn(f"{raw_table} {key}: response rejected, the previous version stays current")
        return None
    return rows


def sync_account(ctx: SyncContext, client: YouTubeClient) -> None:
    channel = client.my_channel()
    if channel is None:
        raise LookupError(f"youtube: the token of account {ctx.account_id} sees no channel (channels.list mine=true)")
    if channel["id"] != ctx.account_id:
        ctx.result.warnings.append(
            f"token belongs to channel {channel['id']}, tidemark.yaml says {ctx.account_id}; data is stored under the latter"
        )
    ctx.commit([ctx.batch("youtube_channels", "channels", {"part": "snippet,contentDetails,statistics",
                                                               "mine": "true"}, [RawRecord(channel["id"], channel)])])

    videos = _sync_playlist(ctx, client, channel["contentDetails"]["relatedPlaylists"]["uploads"])
    published = _sync_video_snapshots(ctx, client, [video_id for video_id, _ in videos])
    _sync_video_totals_before(ctx, client, published)
    _sync_video_daily(ctx, client, published)
    _sync_channel_daily(ctx, client)
    _sync_retention(ctx, client, published)
    _sync_demographics(ctx, client)


def _sync_playlist(ctx: SyncContext, client: YouTubeClient, playlist_id: str) -> list[tuple[str, str]]:
    records, videos = [], []
    for page in client.playlist_pages(playlist_id):
        ctx.result.api_calls += 1
        for item in page.data.get("items") or []:
            video_id = item["contentDetails"]["videoId"]
            videos.append((video_id, item["contentDetails"].get("videoPublishedAt", "")))
            records.append(RawRecord(video_id, item))
    ctx.commit([ctx.batch("youtube_playlist_items", "playlistItems", {"playlistId": playlist_id}, records)])
    ctx.progress(f"{len(videos)} videos listed")
    return videos


def _sync_video_snapshots(ctx: SyncContext, client: YouTubeClient, ids: list[str]) -> dict[str, date]:
    published: dict[str, date] = {}
    pending: list[RawRecord] = []
    for offset in range(0, len(ids), 50):
        chunk = ids[offset:offset + 50]
        for video in client.videos(chunk):
            pending.append(RawRecord(video["id"], video))
            published[video["id"]] = date.fromisoformat(video["snippet"]["publishedAt"][:10])
        ctx.result.api_calls += 1
        if len(pending) >= VIDEO_BATCH or offset + 50 >= len(ids):
            ctx.commit([ctx.batch("youtube_videos", "videos", {"part": "statistics,contentDetails,snippet,status"},
                                 pending)])
            pending = []
    return published


def _sync_video_totals_before(ctx: SyncContext, client: YouTubeClient, published: dict[str, date]) -> None:
    """Once per video published before the first day the day rows cover (the first sync's window
    start, cursor `days_from`): its totals of the days before it (a lifetime of shares or watch
    time is Σ days; without these, an old video's would start there). Keyed `video|boundary`, so a
    backfill that moves the boundary earlier reads them again for the new one."""
    read = ctx.read_cursor("days_from")
    before = min(ctx.window.start, date.fromisoformat(read)) if read else ctx.window.start
    known = existing_keys(ctx.loader.conn, "youtube_video_totals", ctx.account_id)
    due = sorted(v for v, day in published.items() if day < before and f"{v}|{before}" not in known)
    metrics = ",".join(m for m in client.registry.metrics("video_day").split(",") if m != "averageViewDuration")
    for offset in range(0, len(due), TOTALS_BATCH):
        chunk = due[offset:offset + TOTALS_BATCH]
        start = min(published[v] for v in chunk)
        end = before - timedelta(days=1)
        table = client.report(start, end, metrics, "video", f"video=={','.join(chunk)}",
                              sort="-views", maxResults=TOTALS_BATCH)
        ctx.result.api_calls += 1
        found = whole_result(ctx, table, "youtube_video_totals", ",".join(chunk))
        if found is None:  # a missing row would read as "no activity": try again next run
            continue
        rows = {row["video"]: row for row in found}
        # a video the report has no row for had no activity before history start: recorded as such,
        # so it is not asked again every run
        records = [RawRecord(f"{video}|{before}", {"video_id": video, "before": before.isoformat(),
                                                   **({k: v for k, v in rows[video].items() if k != "video"}
                                                      if video in rows else {"no_rows": True})})
                   for video in chunk]
        ctx.commit([ctx.batch("youtube_video_totals", "reports", {
            "dimensions": "video", "metrics": metrics, "startDate": start.isoformat(),
            "endDate": end.isoformat()}, records)])
    ctx.commit([], cursors=[ctx.cursor("days_from", before.isoformat())])
    if due:
        ctx.progress(f"totals before {before}: {len(due)} videos")


def _sync_video_daily(ctx: SyncContext, client: YouTubeClient, published: dict[str, date]) -> None:
    window = ctx.window
    due = sorted(video_id for video_id, day in published.items() if day <= window.end)
    metrics = client.registry.metrics("video_day")
    records: list[RawRecord] = []
    for index, video_id in enumerate(due, start=1):
        start = max(window.start, published[video_id])
        table = client.report(start, window.end, metrics, "day,creatorContentType",
                              f"video=={video_id}", sort="day")
        ctx.result.api_calls += 1
        for row in result_rows(ctx, table, "youtube_video_daily", video_id):
            records.append(RawRecord(f"{video_id}|{row['day']}", {"video_id": video_id, **row}))
        if index % ANALYTICS_BATCH == 0 or index == len(due):
            ctx.commit([ctx.batch("youtube_video_daily", "reports", {
                "dimensions": "day,creatorContentType", "metrics": metrics,
                "startDate": window.start.isoformat(), "endDate": window.end.isoformat()}, records)])
            records = []
            ctx.progress(f"daily analytics: {index}/{len(due)} videos")


def _sync_channel_daily(ctx: SyncContext, client: YouTubeClient) -> None:
    window = ctx.window
    metrics = client.registry.metrics("channel_day")
    table = client.report(window.start, window.end, metrics, "day", sort="day")
    ctx.result.api_calls += 1
    records = [RawRecord(row["day"], row) for row in result_rows(ctx, table, "youtube_channel_daily", "channel")]
    ctx.commit([ctx.batch("youtube_channel_daily", "reports", {"dimensions": "day", "metrics": metrics,
                "startDate": window.start.isoformat(), "endDate": window.end.isoformat()}, records)],
        # A backfill of an old range must not drag the cursor back (ISO dates compare as text).
        cursors=[ctx.analytics_cursor()],
    )


def _sync_retention(ctx: SyncContext, client: YouTubeClient, published: dict[str, date]) -> None:
    """Retention curves settle within weeks: refresh recent videos, fetch older ones once."""
    known = existing_keys(ctx.loader.conn, "youtube_video_retention", ctx.account_id)
    recent = ctx.now.date() - timedelta(days=RETENTION_RECENT_DAYS)
    due = sorted(v for v, day in published.items() if day >= recent or v not in known)
    records = []
    for video_id in due:
        table = client.report(published[video_id], ctx.window.end, client.registry.metrics("retention"),
                              "elapsedVideoTimeRatio", f"video=={video_id}")
        ctx.result.api_calls += 1
        rows = whole_result(ctx, table, "youtube_video_retention", video_id)
        if rows:
            records.append(RawRecord(video_id, {"video_id": video_id, "rows": rows}))
    ctx.commit([ctx.batch("youtube_video_retention", "reports", {"dimensions": "elapsedVideoTimeRatio"}, records)])


def _sync_demographics(ctx: SyncContext, client: YouTubeClient) -> None:
    end = ctx.window.end
    start = end - timedelta(days=27)
    records = []
    for dimensions, scope in (("ageGroup,gender", "age_gender"), ("country", "country")):
        metrics = client.registry.metrics(scope)
        table = client.report(start, end, metrics, dimensions)
        ctx.result.api_calls += 1
        rows = whole_result(ctx, table, "youtube_demographics", dimensions)
        if rows is None:
            continue
        payload = {"dimension": dimensions, "start_date": start.isoformat(), "end_date": end.isoformat(),
                   "rows": rows}
        records.append(RawRecord(f"{dimensions}|{end.isoformat()}", payload))
    ctx.commit([ctx.batch("youtube_demographics", "reports", {"window_days": 28}, records)])
