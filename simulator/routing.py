"""Request/response types and the route registry shared by all platform modules.

A platform package exposes one `Platform`: its routes (method + path pattern +
endpoint name used for stats and fault counting), the base URLs connectors
need, how to render a fault decision in that platform's error format, and the
`PlatformProfile` its synthetic accounts are generated with. The server knows
nothing platform-specific; adding a platform means adding one package under
`simulator/platforms/` (discovered there, no shared list to edit).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from simulator.faults import Fault
from simulator.profiles import PlatformProfile
from simulator.state import SimulatorState


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]              # first value of each query parameter
    headers: dict[str, str]            # lower-cased header names
    body: bytes
    state: SimulatorState
    params: dict[str, str] = field(default_factory=dict)  # from {placeholders} in the route pattern
    platform: str = ""
    endpoint: str = ""

    def form(self) -> dict[str, str]:
        """application/x-www-form-urlencoded body (first value per key)."""
        return {k: v[0] for k, v in parse_qs(self.body.decode("utf-8"), keep_blank_values=True).items()}

    def json(self) -> Any:
        return json.loads(self.body or b"null")

    @property
    def bearer(self) -> str | None:
        """The access token: `Authorization: Bearer …` or an `access_token` query parameter."""
        auth = self.headers.get("authorization", "")
        if auth[:7].lower() == "bearer ":
            return auth[7:].strip() or None
        return self.query.get("access_token") or None


@dataclass
class Response:
    status: int = 200
    body: Any = None                   # JSON-serialisable; None means an empty body
    headers: dict[str, str] = field(default_factory=dict)


Handler = Callable[[Request], Response]


@dataclass(frozen=True)
class Route:
    method: str
    pattern: str      # "/youtube/v3/videos" or "/v26.0/{object_id}/insights"
    endpoint: str     # stable name for stats and for `endpoints` in fault configs
    handler: Handler
    auth: bool = False  # token endpoints: exempt from request faults (see FaultState)

    def match(self, method: str, path: str) -> dict[str, str] | None:
        if method != self.method:
            return None
        want, got = self.pattern.strip("/").split("/"), path.strip("/").split("/")
        if len(want) != len(got):
            return None
        params = {}
        for w, g in zip(want, got, strict=True):
            if w.startswith("{") and w.endswith("}"):
                if not g:
                    return None
                params[w[1:-1]] = g
            elif w != g:
                return None
        return params


@dataclass(frozen=True)
class Platform:
    name: str
    routes: tuple[Route, ...]
    urls: Callable[[str], dict[str, str]]          # base URL -> {name: URL} for connectors
    render_fault: Callable[[Fault, str], Response]  # (fault decision, endpoint) -> wire-format error
    render_not_found: Callable[[str], Response] | None = None
    profile: PlatformProfile | None = None  # how its accounts are generated; None = DEFAULT_PROFILE


class Router:
    """Finds the platform and route of a request; exact segments beat placeholders."""

    def __init__(self, platforms: list[Platform] | tuple[Platform, ...] = ()) -> None:
        self.platforms: dict[str, Platform] = {}
        self._routes: list[tuple[Platform, Route]] = []
        for p in platforms:
            self.add(p)

    def add(self, platform: Platform) -> None:
        if platform.name in self.platforms:
            raise ValueError(f"platform {platform.name!r} registered twice")
        self.platforms[platform.name] = platform
        self._routes.extend((platform, r) for r in platform.routes)
        self._routes.sort(key=lambda pr: pr[1].pattern.count("{"))

    def match(self, method: str, path: str) -> tuple[Platform, Route, dict[str, str]] | None:
        for platform, route in self._routes:
            params = route.match(method, path)
            if params is not None:
                return platform, route, params
        return None

    def urls(self, base: str) -> dict[str, str]:
        out: dict[str, str] = {}
        for p in self.platforms.values():
            out.update(p.urls(base))
        return out
