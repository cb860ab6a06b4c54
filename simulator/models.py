"""Plain result types of the synthetic world (shared by the world and every platform module)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np


@dataclass(frozen=True, slots=True)
class Post:
    index: int            # position in the account's chronological list (0 = oldest)
    id: str
    key: int
    format: str           # a FormatSpec name, e.g. "short" / "long_video"
    published_at: datetime  # UTC
    title: str
    caption: str
    hashtags: tuple[str, ...]
    duration_s: int | None
    local_weekday: int    # in the account's time zone, 0 = Monday
    local_hour: int


@dataclass
class DailySeries:
    dates: np.ndarray                 # datetime64[D], ascending
    values: dict[str, np.ndarray]     # metric -> int64, aligned with dates

    def __getitem__(self, metric: str) -> np.ndarray:
        return self.values[metric]

    def __len__(self) -> int:
        return len(self.dates)


@dataclass
class Report:
    """Post-day rows as an analytics API reports them (lagged, maybe incomplete)."""

    post: np.ndarray                  # Post.index per row
    dates: np.ndarray                 # datetime64[D]
    values: dict[str, np.ndarray]     # ADDITIVE metrics + avg_view_duration_s + view_seconds


@dataclass
class Retention:
    ratio: np.ndarray                 # 0.01 .. 1.00
    audience_watch_ratio: np.ndarray  # non-increasing; Shorts may start above 1 (replays)
    relative_performance: np.ndarray  # 0..1
