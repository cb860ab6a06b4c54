"""Fault injection for the simulated platforms.

A `FaultConfig` is plain JSON keyed by platform, e.g.

    {"youtube": {"quota_exceeded_after": 40, "status_429_first": 2, "retry_after": 1,
                 "status_500_first": 1, "expire_token_after": 10, "invalid_token": false,
                 "endpoints": ["videos"]}}

It comes from the caller (the CLI reads `TIDEMARK_SIM_FAULTS`; nothing here reads
the environment) or from `POST /_sim/faults` at runtime. Faults are
platform-agnostic *decisions* (`Fault.kind`); each platform module renders a
decision in its own wire format, so one config vocabulary serves every API.

Two families:
- request faults (this module): decided before the handler runs, from a per
  platform call counter (only calls to `endpoints` count when that list is set);
- data faults (later): keys handled by a mutator registered with
  `register_mutator(key)`; every response body passes through `mutate_body`.
  Parsing accepts exactly the request-fault keys plus registered mutator keys,
  so a typo in a fault name fails loudly instead of silently testing nothing.
"""

from __future__ import annotations

import copy
import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

REQUEST_KEYS = {
    "quota_exceeded_after": int,  # calls 1..N pass, every later call -> quota error
    "status_429_first": int,      # the first N calls -> 429 (with Retry-After)
    "retry_after": int,           # seconds announced with 429s (default 1)
    "status_500_first": int,      # the N calls after the 429 window -> 500
    "expire_token_after": int,    # an access token dies after N authenticated calls
    "invalid_token": bool,        # refresh -> invalid_grant, bearer -> 401 (revoked grant)
    "consent_denied": bool,       # the authorize endpoint redirects with error=access_denied
    "endpoints": list,            # restrict counting and faults to these endpoint names
}

# A mutator gets (platform, endpoint, body, value_from_config, state) and returns the new body.
Mutator = Callable[[str, str, Any, Any, "FaultState"], Any]
MUTATORS: dict[str, Mutator] = {}


def register_mutator(key: str) -> Callable[[Mutator], Mutator]:
    """Decorator: make `key` a valid per-platform fault key that rewrites response bodies."""
    def deco(fn: Mutator) -> Mutator:
        MUTATORS[key] = fn
        return fn
    return deco


@dataclass(frozen=True)
class Fault:
    """A decision to fail this request; platforms render it in their own error format."""

    kind: str            # "quota" | "rate_limit" | "server_error" | "expired_token" | "invalid_token"
    retry_after: int | None = None


@dataclass
class PlatformFaults:
    quota_exceeded_after: int | None = None
    status_429_first: int = 0
    retry_after: int = 1
    status_500_first: int = 0
    expire_token_after: int | None = None
    invalid_token: bool = False
    consent_denied: bool = False
    endpoints: list[str] | None = None
    data: dict[str, Any] = field(default_factory=dict)  # data-fault keys -> values

    def applies_to(self, endpoint: str) -> bool:
        return self.endpoints is None or endpoint in self.endpoints


class FaultConfig:
    """Validated fault settings for all platforms."""

    def __init__(self, platforms: dict[str, PlatformFaults] | None = None) -> None:
        self.platforms: dict[str, PlatformFaults] = platforms or {}

    @classmethod
    def parse(cls, text: str | bytes | dict | None) -> FaultConfig:
        """From JSON text (or an already decoded dict); empty/None means no faults."""
        if text is None or (isinstance(text, str | bytes) and not text.strip()):
            return cls()
        raw = json.loads(text) if isinstance(text, str | bytes) else text
        if not isinstance(raw, dict):
            raise ValueError("fault config must be a JSON object keyed by platform")
        platforms = {}
        for platform, spec in raw.items():
            if not isinstance(spec, dict):
                raise ValueError(f"faults for {platform!r} must be an object")
            pf = PlatformFaults()
            for key, value in spec.items():
                if key in REQUEST_KEYS:
                    expected = REQUEST_KEYS[key]
                    if expected is int and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
                        raise ValueError(f"{platform}.{key} must be a non-negative integer")
                    if expected is bool and not isinstance(value, bool):
                        raise ValueError(f"{platform}.{key} must be true/false")
                    if expected is list and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
                        raise ValueError(f"{platform}.{key} must be a list of endpoint names")
                    setattr(pf, key, value)
                elif key in MUTATORS:
                    pf.data[key] = value
                else:
                    known = sorted(set(REQUEST_KEYS) | set(MUTATORS))
                    raise ValueError(f"unknown fault key {platform}.{key}; known: {', '.join(known)}")
            platforms[str(platform)] = pf
        return cls(platforms)

    def for_platform(self, platform: str) -> PlatformFaults | None:
        return self.platforms.get(platform)

    def to_dict(self) -> dict[str, dict[str, Any]]:
        out = {}
        for name, pf in self.platforms.items():
            d = {k: getattr(pf, k) for k in REQUEST_KEYS}
            d.update(pf.data)
            out[name] = {k: v for k, v in d.items() if v not in (None, 0, False) or k == "retry_after"}
        return out


class FaultState:
    """Runtime counters for a FaultConfig (thread-safe); replaced together with the config."""

    def __init__(self, config: FaultConfig | None = None) -> None:
        self.config = config or FaultConfig()
        self._lock = threading.Lock()
        self.calls: dict[str, int] = {}                 # platform -> counted calls
        self.token_uses: dict[tuple[str, str], int] = {}  # (platform, token) -> authenticated calls

    def before_request(self, platform: str, endpoint: str, token: str | None = None) -> Fault | None:
        """Count the call and decide whether it fails before reaching the handler."""
        pf = self.config.for_platform(platform)
        if pf is None or not pf.applies_to(endpoint):
            return None
        with self._lock:
            n = self.calls.get(platform, 0) + 1
            self.calls[platform] = n
            if token is not None:
                uses = self.token_uses.get((platform, token), 0) + 1
                self.token_uses[(platform, token)] = uses
            else:
                uses = 0
        if pf.quota_exceeded_after is not None and n > pf.quota_exceeded_after:
            return Fault("quota")
        if n <= pf.status_429_first:
            return Fault("rate_limit", retry_after=pf.retry_after)
        if n <= pf.status_429_first + pf.status_500_first:
            return Fault("server_error")
        if token is not None and pf.invalid_token:
            return Fault("invalid_token")
        if token is not None and pf.expire_token_after is not None and uses > pf.expire_token_after:
            return Fault("expired_token")
        return None

    def refresh_refused(self, platform: str, endpoint: str) -> bool:
        """True when a token refresh must fail (the grant was revoked: `invalid_token`)."""
        pf = self.config.for_platform(platform)
        return bool(pf and pf.invalid_token and pf.applies_to(endpoint))

    def consent_denied(self, platform: str, endpoint: str) -> bool:
        """True when the simulated user clicks "Cancel" on the consent screen (`consent_denied`)."""
        pf = self.config.for_platform(platform)
        return bool(pf and pf.consent_denied and pf.applies_to(endpoint))

    def mutate_body(self, platform: str, endpoint: str, body: Any) -> Any:
        """Pass a response body through the configured data-fault mutators (none yet: no-op)."""
        pf = self.config.for_platform(platform)
        if pf is None or not pf.data or not pf.applies_to(endpoint):
            return body
        for key, value in pf.data.items():
            body = MUTATORS[key](platform, endpoint, body, value, self)
        return body


# --- Data faults --------------------------------------------------------------------------------
# Generic JSON walkers over each platform's real envelopes (`items`, `data`, `data.videos`,
# `elements`, Analytics `rows` + `columnHeaders`): they corrupt the first record of every list so
# a batch always mixes good and bad records (the good ones must still load). Each key is a
# `TIDEMARK_SIM_FAULTS` value, e.g. {"youtube": {"negative_counters": true}}; docs/quality.md
# lists the outcome each one must produce.

COUNTER_HINTS = ("count", "views", "likes", "comments", "shares", "reach", "impressions", "plays", "saved",
                 "favorites", "followers", "subscribers", "minutes", "value")
TIME_KEYS = ("day", "date", "end_time", "created_time", "timestamp", "created_at", "publishedAt", "create_time",
             "createdAt", "snapshot_date", "end_date")
REQUIRED_HINTS = ("created_time", "timestamp", "created_at", "publishedAt", "create_time", "createdAt", "day",
                  "date", "public_metrics", "statistics", "end_time", "item_id", "video_id", "media_id")
UNKNOWN_FIELD = "tidemark_sim_new_field"


def _records(body: Any) -> list[list]:
    """Every list of records in a body: lists of objects, and Analytics `rows` (lists of lists)."""
    found: list[list] = []
    if isinstance(body, dict):
        for value in body.values():
            if isinstance(value, list) and value and isinstance(value[0], dict | list):
                found.append(value)
            found.extend(_records(value) if isinstance(value, dict) else [])
    return found


def _metric_columns(body: Any) -> list[int]:
    headers = body.get("columnHeaders") if isinstance(body, dict) else None
    return [i for i, h in enumerate(headers or []) if isinstance(h, dict) and h.get("columnType") == "METRIC"]


def _is_count(key: str, value: Any) -> bool:
    numeric = (isinstance(value, int) and not isinstance(value, bool)) or (isinstance(value, str) and value.isdigit())
    name = key.lower()
    is_id = name.endswith(("id", "urn", "key"))  # account_id, media_key: ids that happen to contain "count"
    return numeric and not is_id and any(hint in name for hint in COUNTER_HINTS) and key not in TIME_KEYS


def _rewrite_counts(record: Any, fn: Callable[[Any], Any]) -> None:
    """Apply `fn` to every counter of one record, however deeply nested (statistics, public_metrics...)."""
    if isinstance(record, dict):
        for key, value in record.items():
            if _is_count(key, value):
                record[key] = fn(value)
            elif isinstance(value, dict | list):
                _rewrite_counts(value, fn)
    elif isinstance(record, list):
        for item in record:
            if isinstance(item, dict | list):
                _rewrite_counts(item, fn)


def _first_records(body: Any, fn: Callable[[Any], None]) -> Any:
    rows_metrics = _metric_columns(body)
    for records in _records(body):
        first = records[0]
        if isinstance(first, list):  # Analytics row: rewrite the metric columns
            for i in rows_metrics:
                if i < len(first) and _is_count("value", first[i]):
                    first[i] = fn(first[i])
        else:
            _rewrite_counts(first, fn)
    return body


@register_mutator("negative_counters")
def _negative_counters(platform, endpoint, body, value, state):
    return _first_records(body, lambda v: -int(v) - 1 if isinstance(v, int) else f"-{int(v) + 1}")


@register_mutator("counts_as_strings")
def _counts_as_strings(platform, endpoint, body, value, state):
    return _first_records(body, lambda v: f"{max(int(v), 1200) / 1000:.1f}K")


def _drop_required(record: dict) -> None:
    for key in REQUIRED_HINTS:
        if key in record:
            del record[key]
            return


@register_mutator("missing_required_fields")
def _missing_required(platform, endpoint, body, value, state):
    for records in _records(body):
        if isinstance(records[0], dict):
            _drop_required(records[0])
    return body


@register_mutator("unknown_field")
def _unknown_field(platform, endpoint, body, value, state):
    for records in _records(body):
        for record in records:
            if isinstance(record, dict):
                record[UNKNOWN_FIELD] = value if not isinstance(value, bool) else "surprise"
    return body


@register_mutator("duplicated_pages")
def _duplicated_pages(platform, endpoint, body, value, state):
    """The API repeats every page's records (a pagination bug): each list comes back twice."""
    for records in _records(body):
        records.extend([copy.deepcopy(r) for r in records])
    return body


@register_mutator("row_drop_90")
def _row_drop_90(platform, endpoint, body, value, state):
    """A sudden 90 % drop: every list keeps its first tenth (at least one record)."""
    for records in _records(body):
        del records[max(1, len(records) // 10):]
    return body


YEAR = 365 * 86400
ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def _when(value: Any) -> date | None:
    """The day of an ISO string, or of epoch seconds / milliseconds (int or digit string)."""
    if isinstance(value, str) and (match := ISO_DAY.match(value)):
        return date(*map(int, match.groups()))
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and value > 10**9:
        return datetime.fromtimestamp(value / 1000 if value > 10**11 else value, UTC).date()
    return None


def _a_year_later(value: Any) -> Any:
    if isinstance(value, str) and ISO_DAY.match(value):
        return f"{int(value[:4]) + 1}{value[4:]}"
    if isinstance(value, int | str) and _when(value) is not None:
        shifted = int(value) + (YEAR * 1000 if int(value) > 10**11 else YEAR)
        return shifted if isinstance(value, int) else str(shifted)
    return value


@register_mutator("future_timestamps")
def _future_timestamps(platform, endpoint, body, value, state):
    """The first record of every list is dated a year ahead (every timestamp field it has)."""
    for records in _records(body):
        first = records[0]
        if isinstance(first, list):
            records[0] = [_a_year_later(v) for v in first]
            continue
        for key in TIME_KEYS:
            if key in first:
                first[key] = _a_year_later(first[key])
        for nested in first.values():  # YouTube keeps publishedAt in `snippet`
            if isinstance(nested, dict) and "publishedAt" in nested:
                nested["publishedAt"] = _a_year_later(nested["publishedAt"])
    return body


def _record_day(record: Any) -> date | None:
    if isinstance(record, list):
        return next((d for d in map(_when, record) if d is not None), None)
    if isinstance(record, dict):
        days = [_when(record[k]) for k in TIME_KEYS if k in record]
        return max((d for d in days if d is not None), default=None)
    return None


@register_mutator("stale_data")
def _stale_data(platform, endpoint, body, value, state):
    """No new data for N days: records dated within N days of the newest one in the response vanish.

    The mutator sees one response, not the world clock, so "now" is the newest date the response
    carries (for daily reports: the end of the requested window); snapshot-only responses pass.
    """
    days = 3 if value is True else int(value)
    lists = _records(body) + [v for r in _records(body) for x in r if isinstance(x, dict)
                              for v in x.values() if isinstance(v, list) and v and isinstance(v[0], dict)]
    dated = [d for records in lists for d in map(_record_day, records) if d is not None]
    if not dated:
        return body
    cutoff = max(dated) - timedelta(days=days)
    for records in lists:
        records[:] = [r for r in records if (_record_day(r) or cutoff) <= cutoff]
    return body
