"""LinkedIn credentials: a 60-day access token, refreshed with a programmatic refresh token
(`POST https://www.linkedin.com/oauth/v2/accessToken`) when the optional refresh_token,
client_id and client_secret are configured."""

from __future__ import annotations

from core.redaction import Redactor
from ingestion.http import ApiClient, AuthError


class LinkedInAuth:
    def __init__(self, credentials: dict[str, str], token_client: ApiClient | None, redactor: Redactor):
        self._token = credentials["access_token"]
        self._refresh = credentials.get("refresh_token")
        self._client_id = credentials.get("client_id")
        self._client_secret = credentials.get("client_secret")
        self._token_client = token_client
        self._redactor = redactor
        for secret in credentials.values():
            redactor.add_secret(secret)

    @property
    def can_refresh(self) -> bool:
        return bool(self._token_client and self._refresh and self._client_id and self._client_secret)

    def add_auth(self, headers: dict, params: dict) -> None:
        headers["Authorization"] = f"Bearer {self._token}"

    def on_auth_error(self, error: AuthError) -> bool:
        """An expired or rejected access token (401) is refreshed once when refresh is configured;
        a 403 (missing permission) is for a human."""
        if error.status != 401 or not self.can_refresh:
            return False
        self.refresh()
        return True

    def refresh(self) -> None:
        assert self._token_client is not None
        form = {"grant_type": "refresh_token", "refresh_token": self._refresh or "",
                "client_id": self._client_id or "", "client_secret": self._client_secret or ""}
        try:
            body = self._token_client.request_json("POST", "", data=form)
        except AuthError as error:
            raise AuthError("linkedin", f"the refresh token was rejected ({error.message}); re-authorise the "
                            "organization admin", status=error.status, code="refresh_failed") from None
        self._token = body["access_token"]
        self._redactor.add_secret(self._token)
        if body.get("refresh_token"):
            self._refresh = body["refresh_token"]
            self._redactor.add_secret(self._refresh)
