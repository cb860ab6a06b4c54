"""Registry of simulated platforms, discovered from the sub-packages of this package.

Each platform lives in `simulator/platforms/<name>/` exposing `PLATFORM`, a
`simulator.routing.Platform` (routes, connector URLs, error renderer), and, if its content
differs from the default, registers a `PlatformProfile` with `simulator.profiles.register_profile`
when imported. Adding a platform touches no shared file.
"""

from __future__ import annotations

import importlib
import pkgutil

from simulator.routing import Platform


def _discover() -> tuple[Platform, ...]:
    found = []
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        found.append(importlib.import_module(f"{__name__}.{module.name}").PLATFORM)
    return tuple(found)


PLATFORMS: tuple[Platform, ...] = _discover()
