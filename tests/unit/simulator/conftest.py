"""Fixtures: a real simulator on a free local port and a small YouTube client for it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from simulator.server import SimulatorServer

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
CHANNEL = "UCtidemarkDemoChannel0001"


class YouTubeClient:
    """Just enough of a YouTube client to drive the simulator from tests."""

    def __init__(self, sim: SimulatorServer, channel: str = CHANNEL) -> None:
        self.sim = sim
        self.urls = sim.urls()
        self.http = httpx.Client(timeout=10)
        self.channel = channel
        self.token: str | None = None

    def refresh(self, refresh_token: str | None = None) -> httpx.Response:
        resp = self.http.post(self.urls["youtube_token"], data={
            "grant_type": "refresh_token", "refresh_token": refresh_token or f"sim-refresh:{self.channel}",
            "client_id": "sim-client", "client_secret": "sim-secret"})
        if resp.status_code == 200:
            self.token = resp.json()["access_token"]
        return resp

    def _headers(self) -> dict[str, str]:
        if self.token is None:
            self.refresh()
        return {"Authorization": f"Bearer {self.token}"}

    def data(self, endpoint: str, **params: Any) -> httpx.Response:
        return self.http.get(f"{self.urls['youtube_data']}/{endpoint}", params=params, headers=self._headers())

    def report(self, **params: Any) -> httpx.Response:
        params.setdefault("ids", "channel==MINE")
        return self.http.get(f"{self.urls['youtube_analytics']}/reports", params=params, headers=self._headers())

    def admin(self, path: str, payload: Any = None) -> httpx.Response:
        url = f"{self.sim.base_url}/_sim/{path}"
        return self.http.get(url) if payload is None else self.http.post(url, json=payload)

    def uploads(self) -> str:
        resp = self.data("channels", part="contentDetails", mine="true")
        return resp.json()["items"][0]["contentDetails"]["relatedPlaylists"]["uploads"]

    def all_video_ids(self) -> list[str]:
        playlist, token, ids = self.uploads(), None, []
        while True:
            params = {"part": "contentDetails", "playlistId": playlist, "maxResults": 50}
            if token:
                params["pageToken"] = token
            page = self.data("playlistItems", **params).json()
            ids += [it["contentDetails"]["videoId"] for it in page["items"]]
            token = page.get("nextPageToken")
            if not token:
                return ids

    def statistics(self, ids: list[str]) -> dict[str, dict[str, str]]:
        out = {}
        for i in range(0, len(ids), 50):
            page = self.data("videos", part="statistics", id=",".join(ids[i:i + 50])).json()
            out.update({it["id"]: it["statistics"] for it in page["items"]})
        return out


@pytest.fixture
def sim() -> Iterator[SimulatorServer]:
    with SimulatorServer(seed=7, now=NOW) as server:
        yield server


@pytest.fixture
def yt(sim: SimulatorServer) -> Iterator[YouTubeClient]:
    client = YouTubeClient(sim)
    yield client
    client.http.close()


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    """A plain HTTP client for driving the simulator's endpoints directly (the OAuth tests)."""
    with httpx.Client(timeout=10) as client:
        yield client
