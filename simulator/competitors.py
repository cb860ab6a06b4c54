"""The disappearing-competitor rule every simulated platform applies to public account lookups.

Any id or handle yields a deterministic account (`World.account`), so a competitor is just another
account. To rehearse a competitor that is deleted or renamed, its id/handle carries `gone_`:
`gone_YYYYMMDD…` disappears from that UTC day on (before it, it answers normally), a bare `gone_…`
is gone from the start. A gone account answers as the real API does for a deleted account
(each platform renders its own not-found answer; docs/insights-benchmarks.md).
"""

from __future__ import annotations

import re
from datetime import date, datetime

MARKER = re.compile(r"gone_(\d{8})?")


def gone_since(handle: str) -> date | None:
    """The first day the account is gone (date.min: always), or None when it never disappears."""
    match = MARKER.search(handle)
    if match is None:
        return None
    if match.group(1) is None:
        return date.min
    try:
        return datetime.strptime(match.group(1), "%Y%m%d").date()
    except ValueError:
        return date.min


def is_gone(handle: str, now: datetime) -> bool:
    since = gone_since(handle)
    return since is not None and now.date() >= since
