"""YouTube Analytics metrics per report (registry scope).

The Analytics API answers a query naming an unknown metric with HTTP 400 for the whole report,
so every report's metric list comes from here; a metric the API refuses is `reject`ed and the
report is asked again without it for the rest of the sync (the shared interface in
`ingestion/metrics.py`). No YouTube Analytics metric used here is retired as of late 2026.
"""

from __future__ import annotations

from ingestion.metrics import MetricRegistry as Registry

CATALOG: dict[str, tuple[str, ...]] = {
    "video_day": ("views", "engagedViews", "estimatedMinutesWatched", "averageViewDuration", "likes", "comments",
                  "shares", "subscribersGained", "subscribersLost"),
    "channel_day": ("views", "estimatedMinutesWatched", "averageViewDuration", "likes", "comments", "shares",
                    "subscribersGained", "subscribersLost"),
    "retention": ("audienceWatchRatio", "relativeRetentionPerformance"),
    "age_gender": ("viewerPercentage",),
    "country": ("views", "estimatedMinutesWatched"),
}


class MetricRegistry(Registry):
    platform = "youtube"

    def plan(self, scope: str, media: str | None = None) -> dict[str, str]:
        return {name: name for name in CATALOG[scope] if not self.is_rejected(name, scope)}

    def metrics(self, scope: str) -> str:
        """The `metrics` parameter of one report."""
        return ",".join(self.plan(scope))
