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

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

REQUEST_KEYS = {
    "quota_exceeded_after": int,  # calls 1..N pass, every later call -> quota error
    "status_429_first": int,      # the first N calls -> 429 (with Retry-After)
    "retry_after": int,           # seconds announced with 429s (default 1)
    "status_500_first": int,      # the N calls after the 429 window -> 500
    "expire_token_after": int,    # an access token dies after N authenticated calls
    "invalid_token": bool,        # refresh -> invalid_grant, bearer -> 401 (revoked grant)
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

    def mutate_body(self, platform: str, endpoint: str, body: Any) -> Any:
        """Pass a response body through the configured data-fault mutators (none yet: no-op)."""
        pf = self.config.for_platform(platform)
        if pf is None or not pf.data or not pf.applies_to(endpoint):
            return body
        for key, value in pf.data.items():
            body = MUTATORS[key](platform, endpoint, body, value, self)
        return body
