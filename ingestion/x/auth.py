"""X credentials: the app bearer (public data) and, optionally, the owner's OAuth 2.0
user-context token (owner-only metrics), refreshed with the refresh-token grant when the
refresh token and client id are set.

Every AuthError leaving the connector names the account and the env var to fix: the person
reading the alert usually does not know which of many tokens broke.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from core.redaction import Redactor
from core.warehouse.credentials import CredentialStore, Renewal, renew
from ingestion.http import ApiClient, AuthError


@dataclass(frozen=True)
class XCredentials:
    bearer_token: str
    user_access_token: str | None = None
    refresh_token: str | None = None
    client_id: str | None = None
    client_secret: str | None = None

    @property
    def can_refresh(self) -> bool:
        return bool(self.refresh_token and self.client_id)

    @property
    def user_context(self) -> bool:
        return bool(self.user_access_token or self.can_refresh)


class XAuth:
    """ApiClient auth hooks; `setting` is the env var an operator must fix when auth fails."""

    def __init__(self, token_client: ApiClient | None, creds: XCredentials, *, account_id: str,
                 settings: dict[str, str], redactor: Redactor, now: Callable[[], datetime],
                 store: CredentialStore | None = None, log: Callable[[str], None] = lambda message: None):
        self._client = token_client
        self.creds = creds
        self._account_id = account_id
        self._settings = settings
        self._redactor = redactor
        self._now = now
        self._store = store  # where a rotated refresh token outlives this process
        self._log = log
        self._token = creds.user_access_token
        self._refresh = creds.refresh_token
        stored = store.get("x", account_id) if store else None
        self._expires_at: datetime | None = stored.access_expires_at if stored else None
        for secret in (creds.bearer_token, creds.user_access_token, creds.refresh_token, creds.client_secret):
            if secret:
                redactor.add_secret(secret)

    @property
    def setting(self) -> str:
        """Which variable is to blame: the user token in use, else the app bearer."""
        if self.creds.can_refresh:
            return self._settings.get("refresh_token", "credentials.refresh_token_env")
        if self.creds.user_access_token:
            return self._settings.get("user_access_token", "credentials.user_access_token_env")
        return self._settings.get("bearer_token", "credentials.bearer_token_env")

    def named(self, error: AuthError) -> AuthError:
        error.account = error.account or self._account_id
        error.setting = error.setting or self.setting
        error.args = (str(error),)
        return error

    def bearer(self) -> str:
        if not self.creds.user_context:
            return self.creds.bearer_token
        expired = self._expires_at is not None and self._now() >= self._expires_at
        if self._token is None or expired:
            self.refresh()
        assert self._token is not None
        return self._token

    def refresh(self) -> None:
        if not self.creds.can_refresh or self._client is None:
            raise AuthError("x", "the user-context access token expired and no refresh token is configured",
                            account=self._account_id, setting=self.setting, status=401)
        held = {"refresh_token": self._refresh or ""}
        if self._token:
            held["user_access_token"] = self._token
        renewal = renew(self._store, "x", self._account_id, held, self._exchange, now=self._now(),
                        setting=self.setting, log=self._log)
        self._token = renewal.secrets["user_access_token"]
        self._refresh = renewal.secrets.get("refresh_token", self._refresh)
        self._expires_at = renewal.access_expires_at

    def _exchange(self, held) -> Renewal:
        """The refresh-token grant; X answers a new refresh token and invalidates the one presented."""
        form = {"grant_type": "refresh_token", "refresh_token": held["refresh_token"], "client_id": self.creds.client_id}
        headers = {}
        if self.creds.client_secret:  # confidential client: HTTP Basic
            pair = f"{self.creds.client_id}:{self.creds.client_secret}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()
        try:
            body = self._client.request_json("POST", "", data=form, headers=headers)
        except AuthError as error:
            problem = (f"the refresh token was rejected ({error.message}); reconnect the account: "
                       f"tidemark connect x --account-id {self._account_id}")
            if self._store is not None:
                self._store.mark_dead("x", self._account_id, problem)
            raise AuthError("x", problem, account=self._account_id, setting=self.setting, status=error.status,
                            code=error.code) from None
        secrets = {"user_access_token": body["access_token"], "refresh_token": body.get("refresh_token")
                   or held["refresh_token"]}
        for value in secrets.values():
            self._redactor.add_secret(value)
        expires = self._now() + timedelta(seconds=max(int(body.get("expires_in", 7200)) - 60, 0))
        return Renewal(secrets, expires)

    # ApiClient hooks -------------------------------------------------------------------
    def add_auth(self, headers: dict, params: dict) -> None:
        headers["Authorization"] = f"Bearer {self.bearer()}"

    def on_auth_error(self, error: AuthError) -> bool:
        """A 401 on a refreshable user token: refresh once and retry; anything else is for a human."""
        if error.status != 401 or not self.creds.can_refresh:
            return False
        self._token = None
        self.refresh()
        return True
