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

from ingestion.metrics import MetricRegistry as Registry

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


GROUPS = {"share": SHARE_METRICS, "video": VIDEO_METRICS}


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


class MetricRegistry(Registry):
    """Per-run view of the metrics for one API version; scopes are the metric groups ("share",
    "video"); `media` is the post's media type."""

    platform = "linkedin"

    def __init__(self, version: str | int, *, retired: str = "", renamed: str = "",
                 groups: dict[str, tuple[Metric, ...]] | None = None) -> None:
        super().__init__()
        self.version = int(version)
        self.groups = groups or GROUPS
        self.retired = set(_split(retired))
        self.renamed = dict(item.split("=", 1) for item in _split(renamed) if "=" in item)

    def metric(self, name: str) -> Metric:
        return next(m for group in self.groups.values() for m in group if m.name == name)

    def _unsupported(self, metric: Metric) -> str | None:
        if metric.name in self.retired:
            return "retired by configuration (TIDEMARK_LINKEDIN_RETIRED_METRICS)"
        if self.is_rejected(metric.name):
            return self._rejected[(metric.name, None)]
        if self.version < metric.since or (metric.until is not None and self.version >= metric.until):
            return f"not served by LinkedIn-Version {self.version}"
        return None

    def plan(self, scope: str, media: str | None = None) -> dict[str, str]:
        """{name to request: registered name} of one group for one media type; unsupported ones warn once."""
        planned: dict[str, str] = {}
        for metric in self.groups[scope]:
            if media is not None and media not in metric.media_types:
                continue  # silently not applicable (a text post has no video views)
            reason = self._unsupported(metric)
            if reason is not None:
                if not self.is_rejected(metric.name):
                    self.warn(f"linkedin metric {metric.name} skipped: {reason}")
                continue
            successor = self.renamed.get(metric.name) or metric.successor
            if successor:
                self.warn(f"linkedin metric {metric.name} is deprecated; requested as {successor}")
            planned[successor or metric.name] = metric.name
        return planned

    def rejection_message(self, name: str, reason: str, applies_to: str | None) -> str:
        return f"linkedin metric {name} dropped for the rest of the run: rejected by the API ({reason})"

    def missing_fields(self, statistics: dict, *, lifetime: bool) -> list[str]:
        """Registered share-statistics fields an answer lacked (a silent retirement)."""
        wanted = [m.name for m in SHARE_METRICS if lifetime or not m.lifetime_only]
        return [name for name in wanted if name not in statistics and name not in self.retired]
