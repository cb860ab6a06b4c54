"""The one Dagster resource: settings, workspace, warehouse and the platform endpoints.

Settings are read when a run starts (never at import time); a configuration error fails the
run before any work with the message naming the key.
"""

from __future__ import annotations

import dagster as dg

from tidemark.runtime import Runtime, load_runtime


class TidemarkResource(dg.ConfigurableResource):
    """Entry point to Tidemark's runtime for assets, checks and reports."""

    def runtime(self) -> Runtime:
        return load_runtime()
