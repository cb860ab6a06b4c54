"""The metric registry: which media insight metrics to ask for, per API version and media type.

Instagram fails a whole insights call for one metric the media type does not support, and it
retired `impressions`, `plays`, ... in favour of `views` (2025-04-21). So the request list is
built here: per product type, from the version's table; configured extra metrics that are
retired are mapped to their successor (the source name is kept so raw says what was asked for)
or dropped with a warning; a metric the API rejects at runtime is remembered and not asked again.
"""

from __future__ import annotations

from core.settings import ConfigError
from ingestion.metrics import MetricRegistry as Registry

_COMMON = ("views", "reach", "likes", "comments", "saved", "shares", "total_interactions")
# First API version a table applies to → product type → metrics.
MEDIA_METRICS: dict[tuple[int, int], dict[str, tuple[str, ...]]] = {
    (22, 0): {
        "FEED": (*_COMMON, "profile_visits", "follows"),
        "REELS": (*_COMMON, "ig_reels_avg_watch_time", "ig_reels_video_view_total_time", "reels_skip_rate"),
        "STORY": ("views", "reach", "replies", "shares", "total_interactions", "navigation", "follows",
                  "profile_visits"),
    },
}
# Retired metric → (successor or None, when it went away).
RETIRED: dict[str, tuple[str | None, str]] = {
    "impressions": ("views", "2025-04-21"),
    "plays": ("views", "2025-04-21"),
    "clips_replays_count": ("views", "2025-04-21"),
    "ig_reels_aggregated_all_plays_count": ("views", "2025-04-21"),
    "video_views": ("views", "2025-04-21"),
    "carousel_album_impressions": ("views", "2025-04-21"),
    "carousel_album_reach": ("reach", "2025-04-21"),
    "taps_forward": ("navigation", "2025-04-21"),
    "taps_back": ("navigation", "2025-04-21"),
    "exits": ("navigation", "2025-04-21"),
    "profile_views": (None, "2025-01-08"),
    "website_clicks": (None, "2025-01-08"),
}
PRODUCT_ALIASES = {"AD": "FEED", "IGTV": "FEED", "CLIPS": "REELS"}


def parse_version(text: str) -> tuple[int, int]:
    try:
        major, minor = text.strip().lstrip("v").split(".")
        return int(major), int(minor)
    except ValueError:
        raise ConfigError(f"TIDEMARK_INSTAGRAM_API_VERSION: expected e.g. v26.0, got {text!r}") from None


class MetricRegistry(Registry):
    """Scope "media" (media insights): `media` is the media product type (FEED, REELS, STORY, ...)."""

    platform = "instagram"

    def __init__(self, api_version: str, extra: str = "") -> None:
        super().__init__()
        version = parse_version(api_version)
        known = [v for v in MEDIA_METRICS if v <= version]
        if not known:
            oldest = min(MEDIA_METRICS)
            raise ConfigError(f"TIDEMARK_INSTAGRAM_API_VERSION: {api_version} is older than the oldest supported "
                              f"v{oldest[0]}.{oldest[1]}")
        self.version = api_version
        self.table = MEDIA_METRICS[max(known)]
        self.extra = tuple(m.strip() for m in extra.split(",") if m.strip())

    def product(self, media_product_type: str | None) -> str:
        kind = (media_product_type or "FEED").upper()
        kind = PRODUCT_ALIASES.get(kind, kind)
        return kind if kind in self.table else "FEED"

    def plan(self, scope: str = "media", media: str | None = None) -> dict[str, str]:
        """{metric to request: configured name} for one media of product type `media`."""
        kind = self.product(media)
        out = {m: m for m in self.table[kind] if not self.is_rejected(m, kind)}
        for name in self.extra:
            target = self._resolve(kind, name)
            if target is None or self.is_rejected(target, kind):
                continue
            if out.get(target, target) == target:  # the first configured (retired) name is the source
                out[target] = name
        return out

    def _resolve(self, kind: str, name: str) -> str | None:
        """A configured metric as it can be requested now, or None (dropped with a warning)."""
        if name in RETIRED:
            successor, since = RETIRED[name]
            if successor is None or successor not in self.table[kind]:
                self.warn(f"instagram metric {name} was retired on {since} and has no successor for {kind} media; "
                          "not requested")
                return None
            self.warn(f"instagram metric {name} was retired on {since}; requesting {successor} instead "
                      f"(source name kept in raw)")
            return successor
        supported = {m for metrics in self.table.values() for m in metrics}
        if name in supported and name not in self.table[kind]:
            self.warn(f"instagram metric {name} is not supported for {kind} media in {self.version}; not requested")
            return None
        return name  # unknown to the registry: the API decides (a (#100) drops it)

    def reject(self, name: str, reason: str, applies_to: str | None = None) -> bool:
        return super().reject(name, reason, self.product(applies_to))

    def rejection_message(self, name: str, reason: str, applies_to: str | None) -> str:
        return f"instagram rejected metric {name} for {applies_to} media ({reason}); dropped and retried without it"
