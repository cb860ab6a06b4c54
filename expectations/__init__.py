"""Great Expectations suites for landed data: one module per validated raw table.

Each module `expectations/<platform>_<stream>.py` exposes `build() -> TableSuite`; modules are
discovered, so adding a suite touches no shared file.
"""

from __future__ import annotations

import importlib
import pkgutil

_NOT_SUITES = {"runner"}


def suite_modules():
    names = sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))
    return [importlib.import_module(f"{__name__}.{name}") for name in names if name not in _NOT_SUITES]


def all_suites():
    from ingestion.platforms import all_raw_tables

    landed = set(all_raw_tables())
    # A suite is active once its connector exists (its raw table is created by ingestion).
    return [suite for suite in (module.build() for module in suite_modules()) if suite.table in landed]
