"""Limits of one report: a generation deadline and a size budget shared by all its files.

Both fail with a message saying which limit was hit and where to raise it, instead of a run
that never ends or a disk that fills up.
"""

from __future__ import annotations

import time


class ReportLimitError(Exception):
    """A report hit a configured limit; nothing of it is kept."""


class ReportTooLarge(ReportLimitError):
    pass


class ReportTimeout(ReportLimitError):
    pass


class Budget:
    """Time and bytes left for one report."""

    def __init__(self, name: str, max_bytes: int, max_seconds: float, clock=time.monotonic) -> None:
        self.name, self.max_bytes, self.max_seconds = name, max_bytes, max_seconds
        self._clock = clock
        self._deadline = clock() + max_seconds
        self.used_bytes = 0

    def seconds_left(self) -> float:
        return self._deadline - self._clock()

    def check_time(self, step: str) -> None:
        if self.seconds_left() <= 0:
            raise ReportTimeout(f"report {self.name!r} exceeded its generation time limit of {self.max_seconds:g} s "
                                f"while {step} (limits.max_seconds in reports.yaml)")

    def add_bytes(self, count: int, what: str) -> None:
        self.used_bytes += count
        if self.used_bytes > self.max_bytes:
            raise ReportTooLarge(f"report {self.name!r} is larger than its limit of {self.max_bytes / 1e6:g} MB "
                                 f"(reached while writing {what}; limits.max_report_mb in reports.yaml); "
                                 "narrow the date range, platforms or accounts, or raise the limit")

    def statement_timeout_ms(self) -> int:
        """For Postgres `statement_timeout`: a query cannot outlive the report's deadline."""
        return max(int(self.seconds_left() * 1000), 1)
