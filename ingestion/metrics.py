"""The metric-registry interface every platform's `metrics.py` implements.

Platforms retire, rename and refuse metrics on their own calendars (Meta by version and date,
Instagram by media product type, X by field group, TikTok and LinkedIn by API version). One
retired metric must never kill a sync, so each platform's catalogue sits behind the same three
verbs:

- `plan(scope, media=None) -> {name to request: name configured}`: the metrics of one call;
  a retired metric is asked for under its successor (the configured name is kept so raw can
  say what was asked for) or dropped with a warning; one the media type lacks is skipped;
- `reject(name, reason, applies_to=None) -> bool`: the API refused `name` (for one media type or
  call): it is not asked again during this sync, with one warning. False when it cannot be
  dropped (an identity field without which a record cannot be keyed);
- `warnings`: every warning once, in order; `attach(sink)` forwards them (e.g. to the sync result).
"""

from __future__ import annotations

from collections.abc import Callable


class MetricRegistry:
    platform = ""

    def __init__(self) -> None:
        self.warnings: list[str] = []
        self._sinks: list[Callable[[str], None]] = []
        self._rejected: dict[tuple[str, str | None], str] = {}

    def plan(self, scope: str, media: str | None = None) -> dict[str, str]:
        raise NotImplementedError

    def reject(self, name: str, reason: str, applies_to: str | None = None) -> bool:
        key = (name, applies_to)
        if key in self._rejected:
            return True
        if not self.can_drop(name, applies_to):
            return False
        self._rejected[key] = reason
        self.warn(self.rejection_message(name, reason, applies_to))
        return True

    def is_rejected(self, name: str, applies_to: str | None = None) -> bool:
        return (name, applies_to) in self._rejected

    def can_drop(self, name: str, applies_to: str | None) -> bool:
        return True

    def rejection_message(self, name: str, reason: str, applies_to: str | None) -> str:
        where = f" for {applies_to}" if applies_to else ""
        return f"{self.platform} metric {name} rejected by the API{where} ({reason}); skipped for this sync"

    def attach(self, sink: Callable[[str], None]) -> None:
        """Forward warnings to `sink`, those already raised included."""
        self._sinks.append(sink)
        for message in self.warnings:
            sink(message)

    def warn(self, message: str) -> None:
        if message in self.warnings:
            return
        self.warnings.append(message)
        for sink in self._sinks:
            sink(message)
