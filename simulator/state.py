"""Mutable server-side state: the world, faults, issued tokens, OAuth grants and call statistics.

Kept in one object handed to every handler so that platform modules stay pure
functions of (request, state) and several simulators can run side by side in
one process (each test gets its own).
"""

from __future__ import annotations

import threading
from collections import defaultdict
from typing import Any

from simulator.faults import FaultConfig, FaultState
from simulator.grants import GrantStore
from simulator.world import World


class TokenStore:
    """Access tokens issued by the simulator, remembered per platform -> account id.

    Only tokens this instance issued are valid, like a real server: a restarted
    simulator forces clients through their refresh path.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._owner: dict[tuple[str, str], str] = {}
        self._counter: dict[str, int] = defaultdict(int)

    def issue(self, platform: str, account_id: str, fmt: str = "sim-access:{account}:{n}") -> str:
        with self._lock:
            self._counter[platform] += 1
            token = fmt.format(account=account_id, n=self._counter[platform])
            self._owner[(platform, token)] = account_id
            return token

    def owner(self, platform: str, token: str | None) -> str | None:
        if token is None:
            return None
        with self._lock:
            return self._owner.get((platform, token))

    def revoke_all(self, platform: str) -> None:
        with self._lock:
            for key in [k for k in self._owner if k[0] == platform]:
                del self._owner[key]

    def revoke(self, platform: str, token: str) -> bool:
        with self._lock:
            return self._owner.pop((platform, token), None) is not None

    def revoke_owner(self, platform: str, account_id: str) -> int:
        """Forget every access token issued for one account (the bootstrap refresh tokens stay valid)."""
        with self._lock:
            keys = [k for k, owner in self._owner.items() if k[0] == platform and owner == account_id]
            for key in keys:
                del self._owner[key]
            return len(keys)


class Stats:
    """Request counts: per platform and endpoint, plus injected faults, admin and unmatched calls."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.total = 0
        self.calls: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.faults: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.admin = 0
        self.unmatched = 0

    def count(self, platform: str | None, endpoint: str | None) -> None:
        with self._lock:
            self.total += 1
            if platform is None:
                self.unmatched += 1
            elif platform == "_sim":
                self.admin += 1
            else:
                self.calls[platform][endpoint or "?"] += 1

    def fault(self, platform: str, kind: str) -> None:
        with self._lock:
            self.faults[platform][kind] += 1

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "total": self.total,
                "calls": {p: dict(e) for p, e in self.calls.items()},
                "faults": {p: dict(k) for p, k in self.faults.items()},
                "admin": self.admin,
                "unmatched": self.unmatched,
            }


class SimulatorState:
    def __init__(self, world: World, faults: FaultConfig | None = None) -> None:
        self.world = world
        self.faults = FaultState(faults)
        self.tokens = TokenStore()
        self.grants = GrantStore(lambda: world.now)  # codes and tokens of the OAuth code flow
        self.stats = Stats()
        self._scratch: dict[str, dict[str, Any]] = {}

    def set_faults(self, config: FaultConfig) -> None:
        """Replace the fault config; its counters start again from zero."""
        self.faults = FaultState(config)

    def revoke(self, platform: str, account_id: str) -> int:
        """The user removed the app: every token issued for this account dies (`POST /_sim/revoke`)."""
        return self.grants.revoke_account(platform, account_id) + self.tokens.revoke_owner(platform, account_id)

    def scratch(self, platform: str) -> dict[str, Any]:
        """Free-form per-platform memory (e.g. YouTube uploads playlist -> channel id)."""
        return self._scratch.setdefault(platform, {})
