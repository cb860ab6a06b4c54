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

from dataclasses import dataclass, field

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


@dataclass
class Plan:
    """Fields for recent and older posts, the metrics kept, and what was dropped (as warnings)."""

    metrics: tuple[str, ...]
    recent: FieldSet
    older: FieldSet
    warnings: list[str] = field(default_factory=list)

    def drop_field(self, name: str) -> str:
        """The API refused a field: stop asking for it (and its metrics) for the rest of the run."""
        self.recent, self.older = self.recent.without(name), self.older.without(name)
        lost = [m for m in self.metrics if _group_of(m) == name]
        self.metrics = tuple(m for m in self.metrics if m not in lost)
        warning = (f"x: the API refused field {name!r} (invalid request); retried without it — "
                   f"metrics not collected: {', '.join(lost) or 'none'}")
        self.warnings.append(warning)
        return warning


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


def plan(names: str | list[str], version: str = "2", *, user_context: bool) -> Plan:
    """What to request: owner-only groups only with a user-context token and only for recent posts."""
    wanted = [n.strip() for n in names.split(",")] if isinstance(names, str) else list(names)
    metrics, warnings = resolve([n for n in wanted if n], version)
    if not user_context:
        private = [m.name for m in metrics if m.owner_only]
        if private:
            warnings.append(f"x: no user-context token: owner-only metrics not requested ({', '.join(private)})")
        metrics = [m for m in metrics if not m.owner_only]

    def fields(include_private: bool) -> FieldSet:
        keep = [m for m in metrics if include_private or not m.owner_only]
        tweet = list(BASE_TWEET_FIELDS) + sorted({m.group for m in keep if m.param == "tweet.fields"})
        media = sorted({m.group for m in keep if m.param == "media.fields"})
        return FieldSet(tuple(tweet), tuple(BASE_MEDIA_FIELDS) + tuple(media))

    return Plan(tuple(m.name for m in metrics), fields(True), fields(False), warnings)


def applies(name: str, media_type: str, version: str = "2") -> bool:
    """Whether a metric exists for a post of this media type (video views only for videos)."""
    metric = REGISTRY[version].get(name)
    return metric is not None and media_type in metric.media_types
