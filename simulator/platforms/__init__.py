"""Registry of simulated platforms, discovered from the sub-packages of this package.

Each platform lives in `simulator/platforms/<name>/` exposing `PLATFORM`, a
`simulator.routing.Platform` (routes, connector URLs, error renderer), and, if its content
differs from the default, registers a `PlatformProfile` with `simulator.profiles.register_profile`
when imported. Adding a platform touches no shared file.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil

from simulator.routing import Platform


def _discover() -> tuple[Platform, ...]:
    found = []
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        try:
            platform = importlib.import_module(f"{__name__}.{module.name}").PLATFORM
        except (ImportError, AttributeError) as error:  # a platform being written is not served yet
            logging.getLogger(__name__).warning("simulator platform %s skipped: %s", module.name, error)
            continue
        found.append(platform)
    return tuple(found)


PLATFORMS: tuple[Platform, ...] = _discover()
