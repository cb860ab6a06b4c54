"""Per-platform settings: each connector declares defaults (from the real API), env vars override.

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

from tidemark.settings import ConfigError

CRON_FIELDS = 5


@dataclass(frozen=True)
class PlatformDefaults:
    schedule: str
    lookback_days: int
    base_urls: Mapping[str, str]
    limits: Mapping[str, int | str] = field(default_factory=dict)


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
                           env: Mapping[str, str] | None = None) -> PlatformSettings:
    env = os.environ if env is None else env
    schedule = env.get(_var(platform, "schedule"), defaults.schedule)
    if len(schedule.split()) != CRON_FIELDS:
        raise ConfigError(f"{_var(platform, 'schedule')}: expected a 5-field cron expression, got {schedule!r}")
    lookback_var = _var(platform, "lookback_days")
    lookback = _int(lookback_var, env.get(lookback_var, str(defaults.lookback_days)), 0, 365)
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
