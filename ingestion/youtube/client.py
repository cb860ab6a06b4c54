"""YouTube Data API v3 + Analytics API v2 calls, as plain methods returning parsed JSON."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date

from ingestion.http import ApiClient, PageTokenPaginator, RequestSpec

VIDEO_PARTS = "snippet,contentDetails,statistics,status"
DAILY_VIDEO_METRICS = (
    "views,engagedViews,estimatedMinutesWatched,averageViewDuration,likes,comments,shares,"
    "subscribersGained,subscribersLost"
)
DAILY_CHANNEL_METRICS = (
    "views,estimatedMinutesWatched,averageViewDuration,likes,comments,shares,subscribersGained,subscribersLost"
)


def result_rows(table: dict) -> list[dict]:
    """Analytics resultTable → list of {column name: value} ('rows' is absent when empty)."""
    return split_result(table)[0]


def split_result(table: dict) -> tuple[list[dict], list]:
    """Rows that match the column headers, and the malformed ones (kept aside, never guessed at)."""
    names = [header.get("name") for header in table.get("columnHeaders") or [] if isinstance(header, dict)]
    good, bad = [], []
    for row in table.get("rows") or []:
        if isinstance(row, list) and len(row) == len(names) and all(names):
            good.append(dict(zip(names, row, strict=True)))
        else:
            bad.append(row)
    return good, bad


class YouTubeClient:
    def __init__(self, data_api: ApiClient, analytics_api: ApiClient):
        self.data = data_api
        self.analytics = analytics_api

    def close(self) -> None:
        self.data.close()
        self.analytics.close()

    def my_channel(self) -> dict | None:
        body = self.data.get_json("channels", params={"part": "snippet,contentDetails,statistics", "mine": "true"})
        items = body.get("items") or []
        return items[0] if items else None

    def playlist_pages(self, playlist_id: str) -> Iterator:
        spec = RequestSpec("GET", "playlistItems", {
            "part": "snippet,contentDetails", "playlistId": playlist_id, "maxResults": 50,
        })
        yield from self.data.iter_pages(PageTokenPaginator(), spec)

    def videos(self, ids: Sequence[str]) -> list[dict]:
        if len(ids) > 50:
            raise ValueError("videos.list takes at most 50 ids per call")
        body = self.data.get_json("videos", params={"part": VIDEO_PARTS, "id": ",".join(ids)})
        return body.get("items") or []

    def report(self, start: date, end: date, metrics: str, dimensions: str | None = None,
               filters: str | None = None, **extra: str | int) -> dict:
        params: dict = {
            "ids": "channel==MINE", "startDate": start.isoformat(), "endDate": end.isoformat(), "metrics": metrics,
        }
        if dimensions:
            params["dimensions"] = dimensions
        if filters:
            params["filters"] = filters
        params.update(extra)
        return self.analytics.get_json("reports", params=params)
