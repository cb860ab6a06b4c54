"""How the insights write a number in a sentence (anomaly reasons, alert messages): one rule."""

from __future__ import annotations

import math


def number(value: float | None) -> str:
    """1,200 / 48,213 / 3.5 — thousands separated, one decimal only below 10; '?' when unknown."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "?"
    return f"{value:,.0f}" if abs(value) >= 10 else f"{value:,.1f}".removesuffix(".0")
