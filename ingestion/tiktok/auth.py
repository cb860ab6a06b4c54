"""TikTok credentials: a Display API bearer token, refreshed through OAuth v2 when possible.

TikTok access tokens live 24 h; refresh tokens a year. With `refresh_token`, `client_key` and
`client_secret` set, an `access_token_invalid` answer triggers one refresh
(`POST /v2/oauth/token/`, grant_type=refresh_token) and the call is retried; without them it is
an AuthError naming the access-token variable. A refused refresh names the refresh-token variable.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta

from core.redaction import Redactor
from core.warehouse.credentials import CredentialStore, Renewal, renew
from ingestion.http import ApiClient, AuthError


class TikTokAuth:
    def __init__(self, token_client: ApiClient | None, credentials: Mapping[str, str], *, account_id: str,
                 settings: Mapping[str, str], redactor: Redactor, now: Callable[[], datetime] | None = None,
                 store: CredentialStore | None = None, log: Callable[[str], None] = lambda message: None):
        self._client = token_client
        self._now = now or (lambda: datetime.now().astimezone())
        self._store = store  # where a rotated refresh token outlives this process
        self._log = log
        self._token = credentials["access_token"]
        self._refresh = {key: credentials[key] for key in ("refresh_token", "client_key", "client_secret")
                         if credentials.get(key)}
        self._account_id = account_id
        self._settings = settings
        self._redactor = redactor
        self.refreshes = 0
        for secret in credentials.values():
            redactor.add_secret(secret)

    @property
    def can_refresh(self) -> bool:
        return self._client is not None and len(self._refresh) == 3

    def refresh(self) -> None:
        assert self._client is not None
        held = {"access_token": self._token, "refresh_token": self._refresh["refresh_token"]}
        renewal = renew(self._store, "tiktok", self._account_id, held, self._exchange, now=self._now(),
                        setting=self._settings["refresh_token"], log=self._log)
        self._token = renewal.secrets["access_token"]
        self._refresh["refresh_token"] = renewal.secrets.get("refresh_token", held["refresh_token"])
        self.refreshes += 1

    def _exchange(self, held) -> Renewal:
        """The refresh-token grant (`POST /v2/oauth/token/`); TikTok may rotate the refresh token."""
        assert self._client is not None
        form = {"client_key": self._refresh["client_key"], "client_secret": self._refresh["client_secret"],
                "grant_type": "refresh_token", "refresh_token": held["refresh_token"]}
        hint = f"reconnect the account: tidemark connect tiktok --account-id {self._account_id}"
        try:
            body = self._client.request_json("POST", "v2/oauth/token/", data=form)
        except AuthError as error:
            self._dead(f"the refresh token was rejected ({error.message}); {hint}")
            raise AuthError("tiktok", f"the refresh token was rejected ({error.message}); {hint}",
                            account=self._account_id, setting=self._settings["refresh_token"],
                            status=error.status, code=error.code) from None
        token = (body or {}).get("access_token")
        if not token:
            self._dead(f"token refresh answered without an access_token; {hint}")
            raise AuthError("tiktok", f"token refresh answered without an access_token; {hint}",
                            account=self._account_id, setting=self._settings["refresh_token"])
        secrets = {"access_token": token, "refresh_token": body.get("refresh_token") or held["refresh_token"]}
        for value in secrets.values():
            self._redactor.add_secret(value)
        now = self._now()
        refresh_expires = (now + timedelta(seconds=int(body["refresh_expires_in"]))
                           if body.get("refresh_expires_in") else None)
        return Renewal(secrets, now + timedelta(seconds=max(int(body.get("expires_in", 86400)) - 60, 0)),
                       refresh_expires)

    def _dead(self, problem: str) -> None:
        if self._store is not None:
            self._store.mark_dead("tiktok", self._account_id, problem)

    # ApiClient hooks -------------------------------------------------------------------
    def add_auth(self, headers: dict, params: dict) -> None:
        headers["Authorization"] = f"Bearer {self._token}"

    def on_auth_error(self, error: AuthError) -> bool:
        """Only an invalid/expired access token is worth a refresh; a missing scope is for a human."""
        if error.code != "access_token_invalid" or not self.can_refresh:
            return False
        self.refresh()
        return True


class BusinessAuth:
    """Business API: a long-lived `Access-Token` header; no refresh flow is used."""

    def __init__(self, token: str, redactor: Redactor):
        redactor.add_secret(token)
        self._token = token

    def add_auth(self, headers: dict, params: dict) -> None:
        headers["Access-Token"] = self._token
