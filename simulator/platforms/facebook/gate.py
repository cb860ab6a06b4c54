"""What every Graph call goes through before and after its handler: version, token, faults, usage.

Facebook-only failure modes are fault keys registered through `simulator.faults.register_mutator`
(identity mutators: the keys are validated by FaultConfig and read here), so faults.py is untouched:

    {"facebook": {"facebook_throttle": {"code": 613, "calls": 2, "after": 0, "regain_minutes": 0},
                  "facebook_retired_metrics": ["post_clicks"],
                  "facebook_not_enough_viewers": ["page_follows_city"],
                  "facebook_app_usage_pct": 90}}
"""

from __future__ import annotations

import re
import threading
import weakref
from collections.abc import Callable
from typing import Any

from simulator.faults import FaultState, register_mutator
from simulator.platforms.facebook import common as c
from simulator.routing import Request, Response

VERSION = re.compile(r"^v[0-9]+\.0$")
FAULT_KEYS = ("facebook_throttle", "facebook_retired_metrics", "facebook_not_enough_viewers",
              "facebook_app_usage_pct")
USAGE_BUDGET = 4800  # calls a simulated app may make before X-App-Usage reads 100 %
_counts: weakref.WeakKeyDictionary[FaultState, list[int]] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def _identity(platform: str, endpoint: str, body: Any, value: Any, state: FaultState) -> Any:
    return body


for _key in FAULT_KEYS:
    register_mutator(_key)(_identity)


def fault_value(req: Request, key: str, default: Any = None) -> Any:
    pf = req.state.faults.config.for_platform(c.PLATFORM)
    return default if pf is None else pf.data.get(key, default)


def _count(state: FaultState) -> int:
    with _lock:
        counter = _counts.setdefault(state, [0])
        counter[0] += 1
        return counter[0]


def _throttled(req: Request, n: int, page_id: str) -> Response | None:
    spec = fault_value(req, "facebook_throttle")
    if not isinstance(spec, dict):
        return None
    after, calls = int(spec.get("after", 0)), int(spec.get("calls", 1))
    if after < n <= after + calls:
        return c.throttle_error(int(spec.get("code", 80001)), page_id, int(spec.get("regain_minutes", 0)))
    return None


def graph(handler: Callable[[Request, str], Response]) -> Callable[[Request], Response]:
    """Wrap a handler `(req, page_id_of_token)`; adds usage headers to every answer."""

    def run(req: Request) -> Response:
        if not VERSION.match(req.params.get("version", "")):
            return c.graph_error(2500, f"Unknown path components: /{req.params.get('version', '')}")
        page_id = c.page_of_token(req)
        if page_id is None:
            return c.invalid_token()
        n = _count(req.state.faults)
        resp = _throttled(req, n, page_id) or handler(req, page_id)
        pct = fault_value(req, "facebook_app_usage_pct")
        pct = int(pct) if isinstance(pct, int) else min(n * 100 // USAGE_BUDGET, 100)
        resp.headers = {**c.usage_headers(page_id, pct), **resp.headers}
        return resp

    return run


def retired(req: Request) -> set[str]:
    return set(fault_value(req, "facebook_retired_metrics", []) or [])


def too_few_viewers(req: Request, metrics: list[str]) -> bool:
    listed = set(fault_value(req, "facebook_not_enough_viewers", []) or [])
    return "*" in listed or bool(listed & set(metrics))
