"""The `tidemark` resource every asset and check receives: where a run gets its Runtime.

The application shell provides it (`tidemark.definitions`): settings and workspace read when a
run starts (never at import time), the platform registry, and the simulator for accounts without
credentials. A configuration error fails the run before any work, naming the key.
"""

import dagster as dg

from core.runtime import RuntimeSource

Tidemark = dg.ResourceParam[RuntimeSource]
