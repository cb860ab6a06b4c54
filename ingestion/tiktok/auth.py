"""TikTok credentials: a Display API bearer token, refreshed through OAuth v2 when possible.

TikTok access tokens live 24 h; refresh tokens a year. With `refresh_token`, `client_key` and
`client_secret` set, an `access_token_invalid` answer triggers one refresh
(`POST /v2/oauth/token/`, grant_type=refresh_token) and the call is retried; without them it is
an AuthError naming the access-token variable. A refused refresh names the refresh-token variable.
"""

from __future__ import annotations

from collections.abc import Mapping

from core.redaction import Redactor
from ingestion.http import ApiClient, AuthError


class TikTokAuth:
    def __init__(self, token_client: ApiClient | None, credentials: Mapping[str, str], *, account_id: str,
                 settings: Mapping[str, str], redactor: Redactor):
        self._client = token_client
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
        form = {"client_key": self._refresh["client_key"], "client_secret": self._refresh["client_secret"],
                "grant_type": "refresh_token", "refresh_token": self._refresh["refresh_token"]}
        body = self._client.request_json("POST", "v2/oauth/token/", data=form)
        token = (body or {}).get("access_token")
        if not token:
            raise AuthError("tiktok", "token refresh answered without an access_token; re-authorise the account",
                            account=self._account_id, setting=self._settings["refresh_token"])
        self._redactor.add_secret(token)
        rotated = body.get("refresh_token")
        if rotated:  # TikTok may rotate it; kept for this process (Tidemark never stores secrets)
            self._redactor.add_secret(rotated)
            self._refresh["refresh_token"] = rotated
        self._token = token
        self.refreshes += 1

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
