"""The Dagster code location (`workspace.yaml`): the definitions, wired to this application."""

import dagster as dg

from orchestration.definitions import build_definitions
from tidemark.runtime import WiredRuntime


@dg.definitions
def defs() -> dg.Definitions:
    return build_definitions(WiredRuntime())
