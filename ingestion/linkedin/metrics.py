"""Metric registry: which metrics to ask for, per LinkedIn-Version and media type.

One retired metric must never kill a sync (peers lose whole pipelines that way): a metric the
registry knows to be unsupported for the configured version or media type is not requested and
a warning says so; one the API rejects at run time is dropped for the rest of the run (warning)
and the sync goes on. A deprecated name is requested under its successor; the raw record keeps
both names (`type` asked, `source_type` registered) and the canonical column name.
Operators can retire or rename metrics without a release: TIDEMARK_LINKEDIN_RETIRED_METRICS
("A,B") and TIDEMARK_LINKEDIN_RENAMED_METRICS ("OLD=NEW").
"""

from __future__ import annotations

from dataclasses import dataclass

ALL_MEDIA = frozenset({"text", "image", "video", "link", "carousel"})


@dataclass(frozen=True)
class Metric:
    name: str                      # the API's name (videoAnalytics `type`, or a totalShareStatistics field)
    canonical: str                 # Tidemark's name for it (staging column)
    media_types: frozenset[str] = ALL_MEDIA
    since: int = 0                 # first LinkedIn-Version (YYYYMM) serving it
    until: int | None = None       # first version that no longer serves it (retired)
    successor: str | None = None   # deprecated: ask for this name instead
    lifetime_only: bool = False    # not reported for time-bound (daily) queries


# Fields of totalShareStatistics (organizationalEntityShareStatistics).
SHARE_METRICS = (
    Metric("impressionCount", "impressions"),
    Metric("uniqueImpressionsCount", "unique_impressions", lifetime_only=True),
    Metric("clickCount", "clicks"),
    Metric("likeCount", "likes"),
    Metric("commentCount", "comments"),
    Metric("shareCount", "shares"),
    Metric("engagement", "engagement_rate"),
)
# videoAnalytics `type` values: one call per (video, type).
VIDEO = frozenset({"video"})
VIDEO_METRICS = (
    Metric("VIDEO_VIEW", "video_views", VIDEO),
    Metric("VIEWER", "video_viewers", VIDEO),
    Metric("TIME_WATCHED", "watch_time_ms", VIDEO),
    Metric("TIME_WATCHED_FOR_VIDEO_VIEWS", "watch_time_for_views_ms", VIDEO),
)


@dataclass(frozen=True)
class Planned:
    metric: Metric
    request_name: str   # what is sent (the successor of a deprecated name)


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


class MetricRegistry:
    """Per-run view of the metrics for one API version; remembers run-time rejections."""

    def __init__(self, version: str | int, *, retired: str = "", renamed: str = "",
                 metrics: tuple[Metric, ...] = SHARE_METRICS + VIDEO_METRICS) -> None:
        self.version = int(version)
        self.metrics = metrics
        self.retired = set(_split(retired))
        self.renamed = dict(item.split("=", 1) for item in _split(renamed) if "=" in item)
        self.dropped: dict[str, str] = {}
        self.warnings: list[str] = []

    def _unsupported(self, metric: Metric, media_type: str) -> str | None:
        if media_type not in metric.media_types:
            return None  # silently not applicable (a text post has no video views)
        if metric.name in self.retired:
            return "retired by configuration (TIDEMARK_LINKEDIN_RETIRED_METRICS)"
        if metric.name in self.dropped:
            return self.dropped[metric.name]
        if self.version < metric.since or (metric.until is not None and self.version >= metric.until):
            return f"not served by LinkedIn-Version {self.version}"
        return None

    def plan(self, group: tuple[Metric, ...], media_type: str) -> list[Planned]:
        """Metrics of `group` to request for one media type; unsupported ones warn once."""
        planned = []
        for metric in group:
            if media_type not in metric.media_types:
                continue
            reason = self._unsupported(metric, media_type)
            if reason is not None:
                self._warn(f"linkedin metric {metric.name} skipped: {reason}")
                continue
            successor = self.renamed.get(metric.name) or metric.successor
            if successor:
                self._warn(f"linkedin metric {metric.name} is deprecated; requested as {successor}")
            planned.append(Planned(metric, successor or metric.name))
        return planned

    def drop(self, name: str, reason: str) -> None:
        """The API rejected `name`: stop asking for it in this run."""
        if name not in self.dropped:
            self.dropped[name] = f"rejected by the API ({reason})"
            self._warn(f"linkedin metric {name} dropped for the rest of the run: rejected by the API ({reason})")

    def missing_fields(self, statistics: dict, *, lifetime: bool) -> list[str]:
        """Registered share-statistics fields an answer lacked (a silent retirement)."""
        wanted = [m.name for m in SHARE_METRICS if lifetime or not m.lifetime_only]
        return [name for name in wanted if name not in statistics and name not in self.retired]

    def _warn(self, text: str) -> None:
        if text not in self.warnings:
            self.warnings.append(text)
