"""Registry of simulated platforms, discovered from the sub-packages of this package.

Each platform lives in `simulator/platforms/<name>/` exposing `PLATFORM`, a
`simulator.routing.Platform`: routes, connector URLs, error renderer and its
`PlatformProfile` as data. This module is the one place that collects them, so
registration is explicit (no import-time `register_*` calls) and adding a
platform touches no shared file. The world sits below the platforms that serve
it, so it gets `PROFILES` handed in (see `simulator.server`).
"""

from __future__ import annotations

import importlib
import logging
import pkgutil

from simulator.profiles import PlatformProfile
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
# platform name -> profile its accounts are generated with (others get profiles.DEFAULT_PROFILE)
PROFILES: dict[str, PlatformProfile] = {p.name: p.profile for p in PLATFORMS if p.profile is not None}
