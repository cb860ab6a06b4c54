"""Reading Meta's usage headers and slowing down before Graph throttles us.

`X-App-Usage: {"call_count": 28, "total_time": 25, "total_cputime": 25}` (percent of the app's
hourly budget) and `X-Business-Use-Case-Usage: {"<page id>": [{"type": "pages", "call_count": 12, …,
"estimated_time_to_regain_access": 0}]}` (minutes). Above `slowdown_pct` the limiter is paused in
proportion to how close usage is to 100 %; a regain time pauses it for that long.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping

from ingestion.http import RateLimiter


def _numbers(raw: str | None) -> list[dict]:
    if not raw:
        return []
    try:
        parsed = json.loads(raw)
    except ValueError:
        return []
    if isinstance(parsed, dict) and any(isinstance(v, list) for v in parsed.values()):
        return [entry for entries in parsed.values() if isinstance(entries, list)
                for entry in entries if isinstance(entry, dict)]
    return [parsed] if isinstance(parsed, dict) else []


def _pct(entry: dict) -> float:
    values = [entry.get(k) for k in ("call_count", "total_time", "total_cputime", "acc_id_util_pct")]
    return max((float(v) for v in values if isinstance(v, int | float)), default=0.0)


class UsageGovernor:
    def __init__(self, limiter: RateLimiter | None, clock: Callable[[], float], *, slowdown_pct: int = 75,
                 max_pause_s: float = 60.0, max_wait_s: float = 300.0):
        self.limiter = limiter
        self.clock = clock
        self.slowdown_pct = slowdown_pct
        self.max_pause_s = max_pause_s
        self.max_wait_s = max_wait_s
        self.last_pct = 0.0

    def peak(self, headers: Mapping[str, str]) -> float:
        entries = _numbers(headers.get("x-app-usage")) + _numbers(headers.get("x-business-use-case-usage"))
        return max((_pct(e) for e in entries), default=0.0)

    def regain_seconds(self, headers: Mapping[str, str]) -> float:
        entries = _numbers(headers.get("x-business-use-case-usage"))
        minutes = [e.get("estimated_time_to_regain_access") for e in entries]
        return 60.0 * max((float(m) for m in minutes if isinstance(m, int | float)), default=0.0)

    def pause_for(self, headers: Mapping[str, str]) -> float:
        """Seconds to hold back after an answer with these headers (0 when usage is low)."""
        pct = self.peak(headers)
        self.last_pct = pct
        pause = self.regain_seconds(headers)
        if pct >= self.slowdown_pct:
            span = max(100 - self.slowdown_pct, 1)
            pause = max(pause, self.max_pause_s * min((pct - self.slowdown_pct) / span, 1.0))
        return min(pause, self.max_wait_s)  # a longer wait is the throttling answer's job: stop, retry_at

    def observe(self, headers: Mapping[str, str]) -> None:
        pause = self.pause_for(headers)
        if pause > 0 and self.limiter is not None:
            self.limiter.penalize(self.clock() + pause)
