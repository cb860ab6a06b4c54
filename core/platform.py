"""What a platform is to Tidemark: the shape each connector package declares once, and its settings.

Every platform package (`ingestion/<platform>/__init__.py`) declares one `PlatformSpec`: name,
credentials, launch date, freshness, raw streams, defaults. Everything else (workspace
validation, checks, schedules, dbt's platform list, report fallbacks) derives from those
declarations, so adding a platform edits no shared list. This module only defines the shape;
the registry that collects the declarations is `ingestion.registry`.

Settings: each connector declares defaults (from the real API), env vars override.

    TIDEMARK_<PLATFORM>_SCHEDULE         cron (UTC) of the platform's ingestion schedule
    TIDEMARK_<PLATFORM>_LOOKBACK_DAYS    days re-read on every run for late-arriving data
    TIDEMARK_<PLATFORM>_<NAME>_BASE_URL  API base URLs (real API, simulator or a proxy)
    TIDEMARK_<PLATFORM>_<KEY>            connector-specific limits (quotas, API version, ...)

A bad value is a ConfigError naming the variable and what was expected.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from core.settings import ConfigError

CRON_FIELDS = 5


@dataclass(frozen=True)
class PlatformDefaults:
    schedule: str
    lookback_days: int
    base_urls: Mapping[str, str]
    limits: Mapping[str, int | str] = field(default_factory=dict)


@dataclass(frozen=True)
class Credentials:
    """Names of the credentials a connector reads (values come from env vars named in tidemark.yaml)."""

    required: tuple[str, ...]
    optional: tuple[str, ...] = ()  # unlock more (OAuth refresh, owner-only metrics) when set
    # The app's own keys (client id/secret, app bearer): always from the environment. The others are
    # the user's tokens, which may live in the encrypted credential store instead (`tidemark connect`).
    app: tuple[str, ...] = ()
    rotates: bool = False  # each refresh answers a new refresh token and invalidates the old one

    @property
    def keys(self) -> tuple[str, ...]:
        return self.required + self.optional

    @property
    def user(self) -> tuple[str, ...]:
        return tuple(key for key in self.keys if key not in self.app)


@dataclass(frozen=True)
class Freshness:
    """Where the newest *data day* of a platform is read: a raw table and a SQL expression giving
    that day as YYYY-MM-DD text (its daily table where it has one, else the snapshot fetch day)."""

    table: str
    day: str


@dataclass(frozen=True)
class PlatformSpec:
    """Everything about one platform, declared once by its connector package."""

    name: str
    title: str
    launched: date  # timestamps before the platform existed are corrupt
    credentials: Credentials
    streams: tuple[str, ...]  # raw tables (raw.<platform>_<stream>)
    defaults: PlatformDefaults
    freshness: Freshness
    formats: tuple[str, ...]  # post formats its posts take (canonical `format` values)
    # The denominator of its engagement rates: "views", or "impressions" where views are not the
    # platform's reach measure (docs/metrics.md "Engagement rate").
    rate_base: str = "views"
    # Days after which the platform's daily numbers no longer change (late data): a day is complete
    # `settle_days` days after it (docs/metrics.md "Completeness"), and every sync must re-read at
    # least that many days (its lookback) so each day is read once more after it settled.
    settle_days: int = 1
    # Competitor benchmarking (docs/insights-benchmarks.md): the public API its competitors are read
    # from (its `competitors.py`), or None where the platform offers a business no such API.
    competitors: str | None = None

    def __post_init__(self) -> None:
        if self.rate_base not in ("views", "impressions"):
            raise ValueError(f"{self.name}: rate_base must be 'views' or 'impressions', got {self.rate_base!r}")
        if self.defaults.lookback_days < self.settle_days:
            raise ValueError(f"{self.name}: the default lookback ({self.defaults.lookback_days} days) must cover the "
                             f"{self.settle_days} days its numbers take to settle")


@dataclass(frozen=True)
class PlatformSettings:
    platform: str
    schedule: str
    lookback_days: int
    base_urls: dict[str, str]
    limits: dict[str, int | str]

    def limit(self, key: str):
        return self.limits[key]


def _var(platform: str, key: str) -> str:
    return f"TIDEMARK_{platform.upper()}_{key.upper()}"


def _int(name: str, text: str, low: int = 0, high: int = 10**12) -> int:
    try:
        value = int(text)
    except ValueError:
        raise ConfigError(f"{name}: expected an integer, got {text!r}") from None
    if not low <= value <= high:
        raise ConfigError(f"{name}: expected a value between {low} and {high}, got {value}")
    return value


def load_platform_settings(platform: str, defaults: PlatformDefaults,
                           env: Mapping[str, str] | None = None, settle_days: int = 0) -> PlatformSettings:
    env = os.environ if env is None else env
    schedule = env.get(_var(platform, "schedule"), defaults.schedule)
    if len(schedule.split()) != CRON_FIELDS:
        raise ConfigError(f"{_var(platform, 'schedule')}: expected a 5-field cron expression, got {schedule!r}")
    lookback_var = _var(platform, "lookback_days")
    lookback = _int(lookback_var, env.get(lookback_var, str(defaults.lookback_days)), settle_days, 365)
    urls = {}
    for name, default in defaults.base_urls.items():
        var = _var(platform, f"{name}_base_url")
        url = env.get(var, default)
        if not url.startswith(("http://", "https://")):
            raise ConfigError(f"{var}: expected an http(s) URL, got {url!r}")
        urls[name] = url.rstrip("/")
    limits = {}
    for key, default in defaults.limits.items():
        var = _var(platform, key)
        raw = env.get(var)
        if raw is None:
            limits[key] = default
        elif isinstance(default, int):
            limits[key] = _int(var, raw, 1)
        else:
            limits[key] = raw
    return PlatformSettings(platform, schedule, lookback, urls, limits)


def settings_for(spec: PlatformSpec, env: Mapping[str, str] | None = None) -> PlatformSettings:
    """A platform's settings; its lookback may not be shorter than the days its numbers take to settle
    (a shorter one would never read a day again once it is final)."""
    return load_platform_settings(spec.name, spec.defaults, env, spec.settle_days)
