"""Which fields/metrics Tidemark asks TikTok for, per API version and object type.

One retired metric must never kill a sync (the Airbyte failure mode): every request list is
built here, retired metrics are dropped with a warning, deprecated ones are replaced by their
successor (raw keeps whatever name the API answered with; staging maps both), and a metric the
API rejects at run time (`invalid_params` / Business 40002) is retired for the rest of the sync.

The reference lists no retired TikTok metric as of late 2026, so every entry is `active`;
operators retire or rename metrics without a code change through
`TIDEMARK_TIKTOK_RETIRED_METRICS` ("business/v1.3:video:favorites,...") and
`TIDEMARK_TIKTOK_RENAMED_METRICS` ("display/v2:video:old=new,...").
"""

from __future__ import annotations

from dataclasses import dataclass

from ingestion.metrics import MetricRegistry as Registry

DISPLAY = "display/v2"
BUSINESS = "business/v1.3"


@dataclass(frozen=True)
class Metric:
    name: str
    status: str = "active"  # active | deprecated | retired
    successor: str | None = None


def _active(*names: str) -> tuple[Metric, ...]:
    return tuple(Metric(name) for name in names)


# (api, object) -> the fields Tidemark requests, in request order.
CATALOG: dict[tuple[str, str], tuple[Metric, ...]] = {
    (DISPLAY, "video"): _active("id", "title", "video_description", "create_time", "duration", "share_url",
                                "cover_image_url", "view_count", "like_count", "comment_count", "share_count"),
    (DISPLAY, "user"): _active("open_id", "display_name", "username", "follower_count", "following_count",
                               "likes_count", "video_count"),
    (BUSINESS, "video"): _active("item_id", "create_time", "caption", "share_url", "reach", "video_views",
                                 "likes", "comments", "shares", "favorites", "total_time_watched",
                                 "average_time_watched", "full_video_watched_rate", "video_view_retention"),
    (BUSINESS, "account_daily"): _active("video_views", "profile_views", "likes", "comments", "shares",
                                         "daily_new_followers", "daily_lost_followers", "daily_total_followers"),
    (BUSINESS, "account"): _active("followers_count", "audience_ages", "audience_genders", "audience_countries"),
}
# Identity fields: without them a record cannot be keyed, so they are never dropped.
REQUIRED = {"id", "open_id", "item_id", "create_time"}


def parse_overrides(text: str) -> dict[tuple[str, str], dict[str, str | None]]:
    """'api:object:name[=successor],...' → {(api, object): {name: successor or None}}."""
    out: dict[tuple[str, str], dict[str, str | None]] = {}
    for item in filter(None, (part.strip() for part in (text or "").split(","))):
        api, _, rest = item.rpartition(":")
        api, _, obj = api.rpartition(":") if ":" in api else ("", "", api)
        name, _, successor = rest.partition("=")
        if not api or not obj or not name:
            raise ValueError(f"metric override {item!r}: expected 'api:object:name' or 'api:object:old=new'")
        out.setdefault((api, obj), {})[name] = successor or None
    return out


def scope_of(api: str, obj: str) -> str:
    """A registry scope names the API and the object: 'business/v1.3:video' (as the overrides do)."""
    return f"{api}:{obj}"


class MetricRegistry(Registry):
    """The catalog plus this deployment's overrides plus what the API rejected during this sync."""

    platform = "tiktok"

    def __init__(self, retired: str = "", renamed: str = ""):
        super().__init__()
        self._retired = {key: set(names) for key, names in parse_overrides(retired).items()}
        self._renamed = {key: {old: new for old, new in names.items() if new}
                         for key, names in parse_overrides(renamed).items()}

    def plan(self, scope: str, media: str | None = None) -> dict[str, str]:
        """{name to request: catalog name}, in request order: retired dropped, deprecated replaced."""
        api, _, obj = scope.rpartition(":")
        key = (api, obj)
        out: dict[str, str] = {}
        for metric in CATALOG[key]:
            name = self._resolve(key, metric)
            if name is not None and name not in out:
                out[name] = metric.name
        return out

    def fields(self, api: str, obj: str) -> list[str]:
        return list(self.plan(scope_of(api, obj)))

    def can_drop(self, name: str, applies_to: str | None) -> bool:
        return name not in REQUIRED and applies_to is not None and name in self.plan(applies_to)

    def rejection_message(self, name: str, reason: str, applies_to: str | None) -> str:
        api, _, obj = (applies_to or "").rpartition(":")
        return (f"tiktok {api} {obj} metric {name!r} rejected by the API ({reason}); "
                f"skipped for this sync — retire it with TIDEMARK_TIKTOK_RETIRED_METRICS")

    def _resolve(self, key: tuple[str, str], metric: Metric) -> str | None:
        api, obj = key
        scope = scope_of(api, obj)
        successor = self._renamed.get(key, {}).get(metric.name) or (
            metric.successor if metric.status == "deprecated" else None)
        if successor and (successor in self._retired.get(key, set()) or self.is_rejected(successor, scope)):
            return None
        if successor:
            self.warn(f"tiktok {api} {obj} metric {metric.name!r} is deprecated; requesting {successor!r}")
            return successor
        gone = metric.status == "retired" or metric.name in self._retired.get(key, set())
        if gone or self.is_rejected(metric.name, scope):
            if metric.name in REQUIRED:
                return metric.name
            if gone:
                self.warn(f"tiktok {api} {obj} metric {metric.name!r} is retired; not requested")
            return None
        return metric.name
