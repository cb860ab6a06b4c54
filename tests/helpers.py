"""Small helpers shared by tests (not fixtures: plain functions)."""

from __future__ import annotations

from functools import cache

import dagster as dg

from orchestration.definitions import build_definitions, public_marts
from tidemark.runtime import WiredRuntime


def definitions() -> dg.Definitions:
    """The definitions as the code location loads them (built anew: env vars may differ per test)."""
    return build_definitions(WiredRuntime())


@cache
def marts() -> tuple[str, ...]:
    """Every public mart (the `marts` schema's models), in summary order."""
    return tuple(public_marts(definitions()))
