"""Which X metrics Tidemark asks for, per API version and media type — and what to do when
one is retired, renamed or refused.

X requests *field groups* (`tweet.fields=public_metrics,...`, `media.fields=...`), so each metric
names the group that carries it. A plan turns the configured metric names into the fields of
two kinds of calls: recent posts (≤ 30 days; owner-only groups allowed with a user-context
token) and older posts (public groups only: X refuses owner-only metrics past 30 days).
Deprecated names map to their successor, retired or unknown names are dropped — always with a
warning, never by failing the sync (one bad metric must not kill a pipeline).
"""

from __future__ import annotations

from dataclasses import dataclass

from ingestion.metrics import MetricRegistry as Registry

ALL_MEDIA = frozenset({"text", "image", "video", "link"})
BASE_TWEET_FIELDS = ("created_at", "attachments", "entities", "conversation_id")
BASE_MEDIA_FIELDS = ("type", "duration_ms")
PRIVATE_MAX_AGE_DAYS = 30


@dataclass(frozen=True)
class Metric:
    name: str
    param: str  # "tweet.fields" | "media.fields"
    group: str  # the field group carrying it
    status: str = "active"  # active | deprecated | retired
    successor: str | None = None
    owner_only: bool = False  # needs the owner's OAuth 2.0 user-context token, posts ≤ 30 days
    media_types: frozenset[str] = ALL_MEDIA
    note: str = ""


def _m(name: str, group: str, param: str = "tweet.fields", **kw) -> Metric:
    return Metric(name, param, group, **kw)


REGISTRY: dict[str, dict[str, Metric]] = {"2": {m.name: m for m in (
    _m("impression_count", "public_metrics"),
    _m("like_count", "public_metrics"),
    _m("reply_count", "public_metrics"),
    _m("retweet_count", "public_metrics"),
    _m("quote_count", "public_metrics"),
    _m("bookmark_count", "public_metrics"),
    _m("url_link_clicks", "non_public_metrics", owner_only=True),
    _m("user_profile_clicks", "non_public_metrics", owner_only=True),
    _m("organic_impression_count", "organic_metrics", owner_only=True),
    _m("video_view_count", "public_metrics", "media.fields", media_types=frozenset({"video"})),
    _m("favorite_count", "public_metrics", status="deprecated", successor="like_count",
       note="v1.1 name; v2 calls it like_count"),
    _m("view_count", "public_metrics", status="deprecated", successor="impression_count",
       note="the app's 'Views' are impression_count in v2"),
    _m("promoted_impression_count", "promoted_metrics", status="retired", owner_only=True,
       note="promoted_metrics only exist for paid promotion (Ads API), never for organic posts"),
    _m("video_playback_0_count", "non_public_metrics", status="retired", owner_only=True,
       note="moved from tweet non_public_metrics to media metrics; not collected"),
)}}
DEFAULT_METRICS = ("impression_count,like_count,reply_count,retweet_count,quote_count,bookmark_count,"
                   "url_link_clicks,user_profile_clicks,organic_impression_count,video_view_count")


@dataclass(frozen=True)
class FieldSet:
    """The field parameters of one timeline call."""

    tweet_fields: tuple[str, ...]
    media_fields: tuple[str, ...]

    def params(self) -> dict[str, str]:
        out = {"tweet.fields": ",".join(self.tweet_fields)}
        if self.media_fields:
            out.update({"expansions": "attachments.media_keys", "media.fields": ",".join(self.media_fields)})
        return out

    def without(self, name: str) -> FieldSet:
        return FieldSet(tuple(f for f in self.tweet_fields if f != name),
                        tuple(f for f in self.media_fields if f != name))

    def __contains__(self, name: str) -> bool:
        return name in self.tweet_fields or name in self.media_fields


class MetricRegistry(Registry):
    """The metrics kept and the fields of the two kinds of timeline call. Scopes: "recent" (posts
    ≤ 30 days: owner-only groups allowed with a user-context token) and "older" (public only)."""

    platform = "x"

    def __init__(self, names: str | list[str], version: str = "2", *, user_context: bool) -> None:
        super().__init__()
        wanted = [n.strip() for n in names.split(",")] if isinstance(names, str) else list(names)
        metrics, warnings = resolve([n for n in wanted if n], version)
        if not user_context:
            private = [m.name for m in metrics if m.owner_only]
            if private:
                warnings.append(f"x: no user-context token: owner-only metrics not requested ({', '.join(private)})")
            metrics = [m for m in metrics if not m.owner_only]
        for warning in warnings:
            self.warn(warning)
        self.metrics = tuple(m.name for m in metrics)
        self.recent, self.older = _fields(metrics, True), _fields(metrics, False)

    def fields(self, scope: str) -> FieldSet:
        return self.recent if scope == "recent" else self.older

    def plan(self, scope: str, media: str | None = None) -> dict[str, str]:
        """The metrics a call of `scope` returns (for `media`, when given)."""
        fields = self.fields(scope)
        return {m: m for m in self.metrics if _group_of(m) in fields and (media is None or applies(m, media))}

    def can_drop(self, name: str, applies_to: str | None) -> bool:
        return name in self.recent or name in self.older

    def reject(self, name: str, reason: str, applies_to: str | None = None) -> bool:
        """The API refused field (group) `name`: stop asking for it and its metrics for the rest of the run."""
        lost = [m for m in self.metrics if _group_of(m) == name]
        dropped = super().reject(name, f"{reason}; metrics not collected: {', '.join(lost) or 'none'}", applies_to)
        if dropped:
            self.recent, self.older = self.recent.without(name), self.older.without(name)
            self.metrics = tuple(m for m in self.metrics if m not in lost)
        return dropped

    def rejection_message(self, name: str, reason: str, applies_to: str | None) -> str:
        return f"x: the API refused field {name!r} ({reason}) — retried without it"


def _fields(metrics: list[Metric], include_private: bool) -> FieldSet:
    keep = [m for m in metrics if include_private or not m.owner_only]
    tweet = list(BASE_TWEET_FIELDS) + sorted({m.group for m in keep if m.param == "tweet.fields"})
    media = sorted({m.group for m in keep if m.param == "media.fields"})
    return FieldSet(tuple(tweet), tuple(BASE_MEDIA_FIELDS) + tuple(media))


def _group_of(name: str, version: str = "2") -> str | None:
    metric = REGISTRY.get(version, {}).get(name)
    return metric.group if metric else None


def resolve(names: list[str], version: str) -> tuple[list[Metric], list[str]]:
    """Configured names → active metrics (successors for deprecated ones) + warnings."""
    registry = REGISTRY.get(version)
    if registry is None:
        raise ValueError(f"x: no metric registry for API version {version!r}; known: {', '.join(REGISTRY)}")
    chosen: dict[str, Metric] = {}
    warnings = []
    for name in names:
        metric = registry.get(name)
        if metric is None:
            warnings.append(f"x: unknown metric {name!r} for API v{version}; skipped")
        elif metric.status == "retired":
            warnings.append(f"x: metric {name!r} is retired in API v{version} ({metric.note}); skipped")
        elif metric.status == "deprecated":
            warnings.append(f"x: metric {name!r} is deprecated ({metric.note}); collecting {metric.successor!r}")
            chosen[metric.successor] = registry[metric.successor]
        else:
            chosen[name] = metric
    return list(chosen.values()), warnings


def applies(name: str, media_type: str, version: str = "2") -> bool:
    """Whether a metric exists for a post of this media type (video views only for videos)."""
    metric = REGISTRY[version].get(name)
    return metric is not None and media_type in metric.media_types
