"""Page access tokens: sent as a Bearer header (never in URLs), with `appsecret_proof` when set.

A Page token derived from a long-lived user token does not expire, and Graph offers no refresh
grant for Page tokens: when Graph answers 190 the token was revoked or expired and a person must
issue a new one. The AuthError then names the account and the env var holding the token.
"""

from __future__ import annotations

import hashlib
import hmac

from core.redaction import Redactor
from ingestion.http import AuthError


class PageToken:
    def __init__(self, token: str, *, app_secret: str | None, account_id: str, setting: str,
                 redactor: Redactor):
        self._token = token
        self._account_id = account_id
        self._setting = setting
        redactor.add_secret(token)
        self._proof = None
        if app_secret:
            redactor.add_secret(app_secret)
            self._proof = hmac.new(app_secret.encode(), token.encode(), hashlib.sha256).hexdigest()
            redactor.add_secret(self._proof)

    def add_auth(self, headers: dict, params: dict) -> None:
        headers["Authorization"] = f"Bearer {self._token}"
        if self._proof:
            params["appsecret_proof"] = self._proof

    def on_auth_error(self, error: AuthError) -> bool:
        """No refresh exists for Page tokens: name the account and setting, let the error stop it."""
        error.account = error.account or self._account_id
        error.setting = error.setting or self._setting
        error.message += "; issue a new Page access token"
        return False
