"""Registry of simulated platforms.

Each platform lives in its own module/package exposing `PLATFORM`, a
`simulator.routing.Platform` (routes, connector URLs, error renderer). To add
one: write `simulator/platforms/<name>/`, give it a `PlatformProfile` in
`simulator/profiles.py` if its content differs from the default, and append
its `PLATFORM` here. Nothing else in the server changes.
"""

from __future__ import annotations

from simulator.platforms import youtube
from simulator.routing import Platform

PLATFORMS: tuple[Platform, ...] = (
    youtube.PLATFORM,
)
