"""Authorization codes and the tokens the OAuth code flow issues (`tidemark connect`).

Kept apart from `TokenStore`, whose tokens come from the static bootstrap refresh tokens and
never expire: a grant remembers what a real authorization server tracks — the accounts the
consent covered, the client, an expiry on the *world* clock, single-use codes bound to client +
redirect_uri + PKCE challenge, single-use (rotating) refresh tokens and revocation — so the
connect flow can be tested against each of those failure modes. Thread-safe: the server is threaded.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

CODE_TTL = timedelta(minutes=10)


def s256(verifier: str) -> str:
    """RFC 7636 S256: base64url(sha256(verifier)) without padding."""
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")


@dataclass
class AuthCode:
    platform: str
    client_id: str
    redirect_uri: str
    challenge: str | None
    method: str | None                 # "S256" | "plain" | None (no PKCE)
    accounts: tuple[str, ...]
    scope: str
    expires_at: datetime
    extra: dict[str, Any] = field(default_factory=dict)  # what the consent asked for (e.g. access_type)


@dataclass
class Grant:
    platform: str
    kind: str                          # "access" | "refresh" (Meta: "user" / "page" tokens are "access")
    accounts: tuple[str, ...]
    client_id: str
    scope: str
    issued_at: datetime
    expires_at: datetime | None        # None: no expiry (Page tokens from a long-lived user token)
    rotating: bool = False             # a refresh token that dies when used (X, TikTok)
    revoked: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def expires_in(self, now: datetime) -> int | None:
        return None if self.expires_at is None else max(int((self.expires_at - now).total_seconds()), 0)


class GrantStore:
    """Codes and tokens per platform; `clock` is the world clock every expiry is measured on."""

    def __init__(self, clock: Callable[[], datetime]) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._codes: dict[tuple[str, str], AuthCode] = {}
        self._tokens: dict[tuple[str, str], Grant] = {}

    @property
    def now(self) -> datetime:
        return self._clock()

    # --- codes --------------------------------------------------------------------------------
    def new_code(self, platform: str, *, client_id: str, redirect_uri: str, challenge: str | None,
                 method: str | None, accounts: tuple[str, ...], scope: str, **extra: Any) -> str:
        code = "sim-code." + secrets.token_urlsafe(18)
        with self._lock:
            self._codes[(platform, code)] = AuthCode(platform, client_id, redirect_uri, challenge, method,
                                                     accounts, scope, self.now + CODE_TTL, dict(extra))
        return code

    def redeem(self, platform: str, code: str, *, client_id: str, redirect_uri: str, verifier: str | None,
               hex_s256: bool = False) -> AuthCode | str:
        """The code, consumed; or why not ("unknown", "expired", "client", "redirect_uri", "verifier").

        A code dies on its first presentation, even a failed one (as Google and X do), so a
        client cannot retry a wrong verifier. `hex_s256`: also accept hex(sha256) (TikTok desktop).
        """
        with self._lock:
            found = self._codes.pop((platform, code), None)
        if found is None:
            return "unknown"
        if self.now >= found.expires_at:
            return "expired"
        if found.client_id != client_id:
            return "client"
        if found.redirect_uri != redirect_uri:
            return "redirect_uri"
        if found.challenge is not None:
            if not verifier:
                return "verifier"
            expected = {verifier} if found.method == "plain" else {s256(verifier)}
            if hex_s256 and found.method != "plain":
                expected.add(hashlib.sha256(verifier.encode()).hexdigest())
            if found.challenge not in expected:
                return "verifier"
        return found

    # --- tokens -------------------------------------------------------------------------------
    def issue(self, platform: str, kind: str, accounts: tuple[str, ...], *, client_id: str, scope: str,
              ttl: int | None, prefix: str, rotating: bool = False, **extra: Any) -> str:
        token = prefix + secrets.token_urlsafe(24)
        now = self.now
        grant = Grant(platform, kind, tuple(accounts), client_id, scope, now,
                      None if ttl is None else now + timedelta(seconds=ttl), rotating, extra=dict(extra))
        with self._lock:
            self._tokens[(platform, token)] = grant
        return token

    def status(self, platform: str, token: str | None) -> tuple[str, Grant | None]:
        """("valid" | "expired" | "revoked" | "unknown", the grant)."""
        if not token:
            return "unknown", None
        with self._lock:
            grant = self._tokens.get((platform, token))
        if grant is None:
            return "unknown", None
        if grant.revoked:
            return "revoked", grant
        if grant.expires_at is not None and self.now >= grant.expires_at:
            return "expired", grant
        return "valid", grant

    def valid(self, platform: str, token: str | None, kind: str = "access") -> Grant | None:
        state, grant = self.status(platform, token)
        return grant if state == "valid" and grant is not None and grant.kind == kind else None

    def accounts(self, platform: str, token: str | None) -> tuple[str, ...] | None:
        """The accounts a valid access token covers (None when it is not a valid grant token)."""
        grant = self.valid(platform, token)
        return None if grant is None else grant.accounts

    def use_refresh(self, platform: str, token: str) -> Grant | None:
        """A valid refresh token's grant; a rotating one is spent by this call (atomically)."""
        with self._lock:
            grant = self._tokens.get((platform, token))
            if grant is None or grant.kind != "refresh" or grant.revoked:
                return None
            if grant.expires_at is not None and self.now >= grant.expires_at:
                return None
            if grant.rotating:
                grant.revoked = True
            return grant

    def revoke_token(self, platform: str, token: str) -> bool:
        with self._lock:
            grant = self._tokens.get((platform, token))
            if grant is None:
                return False
            grant.revoked = True
            return True

    def revoke_account(self, platform: str, account_id: str) -> int:
        """Revoke every token of `platform` that covers `account_id`; answers how many."""
        n = 0
        with self._lock:
            for (p, _), grant in self._tokens.items():
                if p == platform and account_id in grant.accounts and not grant.revoked:
                    grant.revoked = True
                    n += 1
        return n
