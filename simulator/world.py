"""The deterministic synthetic world every simulated platform serves from.

`World(seed, now, profiles=...)` answers for ANY (platform, account id): an
account's whole history is a pure function of hash(seed, platform, account id),
the platform's profile and the world's origin (the `now` it was created with),
so the same seed + clock always yields identical data, and moving the clock
forward only appends (counters never shrink). Accounts are generated lazily on
first use and kept in a bounded LRU, so a world of thousands of accounts costs
only what is actually requested.

The clock (`world.now`) can move; the origin does not, which keeps every
account's created date, post schedule and past daily values stable.

Platform profiles are passed in (`profiles=simulator.platforms.PROFILES` for the
real set) rather than looked up, because the platform packages sit above the world
in the import order: they serve it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta

from simulator import clock
from simulator.account import AccountWorld
from simulator.clock import as_utc
from simulator.models import DailySeries, Post, Report, Retention
from simulator.profiles import DEFAULT_PROFILE, PlatformProfile
from simulator.series import ADDITIVE, METRICS

__all__ = [
    "ADDITIVE", "METRICS", "AccountWorld", "DailySeries", "Post", "Report", "Retention", "World", "as_utc",
]


class World:
    """Lazily generated accounts of every platform, sharing one seed and one clock."""

    def __init__(self, seed: int = 0, now: datetime | str | None = None, *,
                 profiles: Mapping[str, PlatformProfile], history_days: int = 365,
                 cache_size: int = 64, time_zones: Mapping[tuple[str, str], str] | None = None) -> None:
        """`profiles`: platform name -> profile; other platform names get `DEFAULT_PROFILE`.
        `time_zones`: (platform, account id) -> IANA zone the account posts in (the workspace's
        declaration); accounts not listed get a fixed offset drawn from their key."""
        self.seed = int(seed)
        self.profiles = dict(profiles)
        self.history_days = int(history_days)
        self._now = as_utc(now) if now is not None else datetime.now(UTC).replace(microsecond=0)
        self.origin = self._now
        self.cache_size = cache_size
        self.time_zones = {(p, str(a)): tz for (p, a), tz in (time_zones or {}).items()}
        self._accounts: OrderedDict[tuple[str, str], AccountWorld] = OrderedDict()
        self._post_owner: dict[tuple[str, str], str] = {}
        self._lock = threading.RLock()

    @property
    def now(self) -> datetime:
        return self._now

    def set_now(self, now: datetime | str) -> None:
        """Move the simulated clock (forward to see growth; backward is allowed for tests)."""
        self._now = as_utc(now)

    def advance(self, delta: timedelta) -> datetime:
        self._now = self._now + delta
        return self._now

    @property
    def first_day(self) -> date:
        """Created date shared by all accounts: `history_days` before the origin."""
        return clock.first_day(self.origin, self.history_days)

    def account(self, platform: str, account_id: str) -> AccountWorld:
        """The (cached) account; any id works and always yields the same account."""
        cache_key = (platform, str(account_id))
        with self._lock:
            acct = self._accounts.get(cache_key)
            if acct is not None:
                self._accounts.move_to_end(cache_key)
                return acct
            aid = cache_key[1]
            acct = AccountWorld(self, platform, aid, created=self.first_day,
                                profile=self.profiles.get(platform, DEFAULT_PROFILE),
                                time_zone=self.time_zones.get(cache_key),
                                on_generated=lambda ids: self.register_posts(platform, aid, ids))
            self._accounts[cache_key] = acct
            while len(self._accounts) > self.cache_size:
                self._accounts.popitem(last=False)
            return acct

    def register_posts(self, platform: str, account_id: str, post_ids: list[str]) -> None:
        """Remember which account owns each post id (called by AccountWorld when it generates)."""
        with self._lock:
            for pid in post_ids:
                self._post_owner[(platform, pid)] = account_id

    def find_post(self, platform: str, post_id: str) -> tuple[AccountWorld, Post] | None:
        """Resolve a post id of an account generated before in this world, else None.

        Post ids are hashes, so an id can only be found once its account has been
        generated (as happens on a real platform, where you list before you fetch).
        """
        owner = self._post_owner.get((platform, post_id))
        if owner is None:
            return None
        acct = self.account(platform, owner)
        post = acct.find(post_id)
        return None if post is None else (acct, post)
