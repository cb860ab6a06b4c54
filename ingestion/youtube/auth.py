"""OAuth 2.0 refresh-token flow for YouTube (Data + Analytics share one access token)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from core.redaction import Redactor
from ingestion.http import ApiClient, AuthError


class GoogleOAuth:
    """Holds a refresh token, hands out a valid access token, refreshes when told it expired."""

    def __init__(
        self,
        token_client: ApiClient,
        *,
        client_id: str,
        client_secret: str,
        refresh_token: str,
        account_id: str,
        setting: str,
        redactor: Redactor,
        now: Callable[[], datetime],
    ):
        self._client = token_client
        self._form = {
            "grant_type": "refresh_token",
            "client_id": client_id,
            "client_secret": client_secret,
            "refresh_token": refresh_token,
        }
        self._account_id = account_id
        self._setting = setting
        self._redactor = redactor
        self._now = now
        self._token: str | None = None
        self._expires_at: datetime | None = None
        for secret in (client_secret, refresh_token):
            redactor.add_secret(secret)

    def access_token(self) -> str:
        if self._token is None or (self._expires_at and self._now() >= self._expires_at):
            self.refresh()
        assert self._token is not None
        return self._token

    def refresh(self) -> None:
        try:
            response = self._client.request_json("POST", "", data=self._form)
        except AuthError as error:
            raise AuthError(
                "youtube",
                f"the refresh token was rejected ({error.message}); re-authorise the channel",
                account=self._account_id, setting=self._setting, status=error.status, code=error.code,
            ) from None
        token = response["access_token"]
        self._redactor.add_secret(token)
        self._token = token
        self._expires_at = self._now() + timedelta(seconds=max(int(response.get("expires_in", 3600)) - 60, 0))

    # ApiClient hooks -------------------------------------------------------------------
    def add_auth(self, headers: dict, params: dict) -> None:
        headers["Authorization"] = f"Bearer {self.access_token()}"

    def on_auth_error(self, error: AuthError) -> bool:
        """An expired access token (401) is refreshed once; anything else is for a human."""
        if error.status != 401:
            return False
        self._token = None
        self.refresh()
        return True
