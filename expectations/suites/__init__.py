"""Great Expectations suites for landed data: one module per validated raw table.

`suites/<platform>/<stream>.py` exposes `build() -> TableSuite` for `raw.<platform>_<stream>`.
Modules are discovered, so a new platform adds its folder here and edits no shared file; a
suite is active once its platform's connector is registered (it creates the raw table).
"""

from __future__ import annotations

import importlib
import pkgutil

from expectations.rules import TableSuite
from ingestion.registry import all_raw_tables


def suite_modules():
    modules = []
    for folder in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        package = importlib.import_module(f"{__name__}.{folder.name}")
        modules += [importlib.import_module(f"{package.__name__}.{item.name}")
                    for item in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name)]
    return modules


def all_suites() -> list[TableSuite]:
    landed = set(all_raw_tables())
    return [suite for suite in (module.build() for module in suite_modules()) if suite.table in landed]
