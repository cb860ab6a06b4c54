"""Monotonic time that also advances by injected sleeps.

Tests inject a no-op `sleep`; the rate limiter and the client must still agree that a wait
happened, or a server-imposed pause would spin on the real clock until it passed. With the
real `time.sleep` this is plain `time.monotonic`.
"""

from __future__ import annotations

import time
from collections.abc import Callable


class VirtualClock:
    def __init__(self, sleep: Callable[[float], None] | None = None):
        self._sleep = sleep or time.sleep
        self._fake = sleep is not None and sleep is not time.sleep
        self._offset = 0.0

    def now(self) -> float:
        return time.monotonic() + self._offset

    def sleep(self, seconds: float) -> None:
        if self._fake:
            self._offset += max(seconds, 0.0)
        self._sleep(seconds)
