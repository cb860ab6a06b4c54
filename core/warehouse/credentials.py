"""The encrypted credential store: an account's user tokens between runs (`ops.credentials`).

Why a store: X rotates its refresh token on every refresh and TikTok may, so a token kept in an
environment variable is dead after the first run; `tidemark connect` also needs somewhere to put
the tokens it obtains. Only ciphertext reaches the database — one Fernet token (AES-128-CBC +
HMAC, from the `cryptography` package) of the account's secrets as JSON — encrypted with the keys
in TIDEMARK_SECRET_KEY (comma-separated, newest first: the first encrypts, any decrypts, so a key
is rotated by prepending the new one and running `tidemark credentials rotate-key`).

Expiries, the health status and the version number stay in clear: they are not secrets, and the
token-health check and `tidemark accounts list` read them without the key.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from core.redaction import Redactor
from core.settings import ConfigError
from core.warehouse.connection import connect
from core.warehouse.locks import advisory_lock
from core.workspace import WorkspaceConfig

SECRET_KEY_VAR = "TIDEMARK_SECRET_KEY"
HEALTHY, DEAD = "ok", "dead"
EARLY = timedelta(seconds=60)  # an access token this close to its expiry counts as expired


def new_key() -> str:
    return Fernet.generate_key().decode()


def keyring(env: Mapping[str, str] | None = None) -> MultiFernet:
    """The keys in TIDEMARK_SECRET_KEY, newest first; a clear error when unset or malformed."""
    env = os.environ if env is None else env
    raw = env.get(SECRET_KEY_VAR, "").strip()
    if not raw:
        raise ConfigError(f"{SECRET_KEY_VAR} is not set: the credential store is encrypted with it. Create one "
                          f"with `tidemark credentials new-key` and keep it safe (a lost key means reconnecting "
                          f"every stored account)")
    keys = []
    for number, part in enumerate(raw.split(","), start=1):
        try:
            keys.append(Fernet(part.strip().encode()))
        except (ValueError, TypeError):  # never echo the value: it is a secret
            raise ConfigError(f"{SECRET_KEY_VAR}: key {number} is not a Fernet key (32 url-safe base64 bytes, "
                              f"as printed by `tidemark credentials new-key`)") from None
    return MultiFernet(keys)


@dataclass(frozen=True)
class StoredCredential:
    platform: str
    account_id: str
    secrets: dict[str, str]  # empty when read without decrypting (health views)
    access_expires_at: datetime | None
    refresh_expires_at: datetime | None
    status: str
    problem: str | None
    source: str
    version: int
    updated_at: datetime


COLUMNS = ("platform, account_id, secrets, access_expires_at, refresh_expires_at, status, problem, source, "
           "version, updated_at")


class CredentialStore:
    def __init__(self, url: str, redactor: Redactor, env: Mapping[str, str] | None = None):
        self._url = url
        self._redactor = redactor
        self._env = env

    @property
    def _keys(self) -> MultiFernet:
        return keyring(self._env)

    def _row(self, row: tuple, decrypt: bool) -> StoredCredential:
        secrets: dict[str, str] = {}
        if decrypt:
            try:
                secrets = json.loads(self._keys.decrypt(bytes(row[2])))
            except InvalidToken:
                raise ConfigError(f"the stored credentials of {row[0]} account {row[1]!r} cannot be decrypted with "
                                  f"the keys in {SECRET_KEY_VAR} (was a key replaced without keeping the old one "
                                  f"after it? see docs/credentials.md)") from None
            for value in secrets.values():
                self._redactor.add_secret(value)
        return StoredCredential(row[0], row[1], secrets, *row[3:])

    def get(self, platform: str, account_id: str) -> StoredCredential | None:
        with connect(self._url) as conn, conn.cursor() as cur:
            cur.execute(f"select {COLUMNS} from ops.credentials where platform = %s and account_id = %s",
                        (platform, account_id))
            row = cur.fetchone()
        return None if row is None else self._row(row, decrypt=True)

    def health(self) -> list[StoredCredential]:
        """Every stored account, without decrypting anything (no key needed)."""
        with connect(self._url) as conn, conn.cursor() as cur:
            cur.execute(f"select {COLUMNS} from ops.credentials order by platform, account_id")
            return [self._row(row, decrypt=False) for row in cur.fetchall()]

    def put(self, platform: str, account_id: str, secrets: Mapping[str, str], *, source: str,
            access_expires_at: datetime | None = None, refresh_expires_at: datetime | None = None) -> int:
        """Replace the account's secrets in one transaction (the old row stays until the new one is
        committed: a crash keeps one or the other, never neither); returns the new version."""
        for value in secrets.values():
            self._redactor.add_secret(value)
        cipher = self._keys.encrypt(json.dumps(dict(secrets), sort_keys=True).encode())
        with connect(self._url) as conn, conn.cursor() as cur:
            cur.execute("""
                insert into ops.credentials as c (platform, account_id, secrets, access_expires_at,
                                                  refresh_expires_at, source)
                values (%s, %s, %s, %s, %s, %s)
                on conflict (platform, account_id) do update
                set secrets = excluded.secrets, access_expires_at = excluded.access_expires_at,
                    refresh_expires_at = coalesce(excluded.refresh_expires_at, c.refresh_expires_at),
                    status = 'ok', problem = null, source = excluded.source, version = c.version + 1,
                    updated_at = now()
                returning version""", (platform, account_id, cipher, access_expires_at, refresh_expires_at, source))
            version = cur.fetchone()[0]
            conn.commit()
        return version

    def mark_dead(self, platform: str, account_id: str, problem: str) -> None:
        with connect(self._url) as conn, conn.cursor() as cur:
            cur.execute("update ops.credentials set status = 'dead', problem = %s, updated_at = now() "
                        "where platform = %s and account_id = %s",
                        (self._redactor.redact(problem), platform, account_id))
            conn.commit()

    def delete(self, platform: str, account_id: str) -> bool:
        with connect(self._url) as conn, conn.cursor() as cur:
            cur.execute("delete from ops.credentials where platform = %s and account_id = %s", (platform, account_id))
            conn.commit()
            return cur.rowcount > 0

    def rotate_key(self) -> int:
        """Re-encrypt every row with the newest key, in one transaction; returns the rows done.
        Afterwards the older keys can be dropped from TIDEMARK_SECRET_KEY."""
        keys = self._keys
        with connect(self._url) as conn, conn.cursor() as cur:
            cur.execute("select platform, account_id, secrets from ops.credentials for update")
            rows = cur.fetchall()
            for platform, account_id, cipher in rows:
                try:
                    rotated = keys.rotate(bytes(cipher))
                except InvalidToken:
                    raise ConfigError(f"{platform} account {account_id!r}: its credentials cannot be decrypted "
                                      f"with any key in {SECRET_KEY_VAR}; nothing was re-encrypted") from None
                cur.execute("update ops.credentials set secrets = %s where platform = %s and account_id = %s",
                            (rotated, platform, account_id))
            conn.commit()
        return len(rows)

    @contextmanager
    def locked(self, platform: str, account_id: str) -> Iterator[None]:
        """One refresher per account at a time: a second run waits, then reads what the first stored
        (a rotated-away refresh token is never presented)."""
        with advisory_lock(self._url, f"tidemark.credentials:{platform}:{account_id}", wait=True):
            yield


@dataclass(frozen=True)
class Renewal:
    """What a refresh answered: the user secrets that changed (access token, a rotated refresh token)."""

    secrets: dict[str, str]
    access_expires_at: datetime | None
    refresh_expires_at: datetime | None = None


def renew(store: CredentialStore | None, platform: str, account_id: str, held: Mapping[str, str],
          exchange: Callable[[Mapping[str, str]], Renewal], *, now: datetime,
          refresh_key: str = "refresh_token", setting: str = "its refresh-token variable",
          log: Callable[[str], None] = lambda message: None) -> Renewal:
    """Refresh an account's token under its lock and store the answer before anyone uses it.

    `held` are the user secrets this process holds. Another run may have refreshed meanwhile
    (the store's refresh token differs): its access token is used while valid, else its newer
    refresh token is presented — never one it has rotated away. Without a store (no
    TIDEMARK_SECRET_KEY) the refresh happens in this process only. Either way `log` says where a
    rotated token now lives (an account's first store write moves it out of its variable).
    """
    if store is None:
        renewal = exchange(held)
        if renewal.secrets.get(refresh_key, held.get(refresh_key)) != held.get(refresh_key):
            log(f"{platform} account {account_id}: the platform rotated its refresh token and {SECRET_KEY_VAR} is "
                f"unset, so the new one lives in this process only and {setting} is now spent: set "
                f"{SECRET_KEY_VAR} (or run `tidemark connect {platform}`) before the next run")
        return renewal
    with store.locked(platform, account_id):
        stored = store.get(platform, account_id)
        secrets = dict(held)
        if stored is not None:
            newer = stored.secrets.get(refresh_key) != held.get(refresh_key)
            if newer and stored.access_expires_at and stored.access_expires_at > now + EARLY:
                return Renewal(stored.secrets, stored.access_expires_at, stored.refresh_expires_at)
            secrets.update(stored.secrets)
        renewal = exchange(secrets)
        secrets.update(renewal.secrets)
        store.put(platform, account_id, secrets, source=stored.source if stored else "rotated",
                  access_expires_at=renewal.access_expires_at, refresh_expires_at=renewal.refresh_expires_at)
        if stored is None:
            log(f"{platform} account {account_id}: its refreshed tokens are now kept in the encrypted credential "
                f"store ({setting} holds a spent token from now on)")
        return renewal


def token_health(store: CredentialStore | None, workspace: WorkspaceConfig, now: datetime) -> list[dict]:
    """Every account of the workspace with where its tokens come from and how healthy they are."""
    stored = {(c.platform, c.account_id): c for c in store.health()} if store else {}
    rows = []
    for platform in workspace.platforms:
        for account in workspace.accounts(platform):
            row = {"platform": platform, "account_id": account.id, "name": account.name or account.id,
                   "source": "simulated", "status": "ok", "expires": None, "note": ""}
            record = stored.get((platform, account.id))
            if workspace.is_simulated(account):
                pass
            elif record is not None:
                row.update(source=f"store ({record.source})", status=record.status, note=record.problem or "",
                           expires=record.refresh_expires_at)
                if record.status != DEAD and record.refresh_expires_at and record.refresh_expires_at <= now:
                    row.update(status=DEAD, note=f"the refresh token expired on {record.refresh_expires_at:%Y-%m-%d}; "
                                                 f"reconnect: tidemark connect {platform} --account-id {account.id}")
            else:
                row.update(source="environment", note="expiry unknown (tokens in environment variables)")
            rows.append(row)
    return rows
