"""Instagram tokens: the access token on every call, with `appsecret_proof` when the app secret is set.

Long-lived Instagram tokens expire after 60 days unless refreshed; an expired or revoked token is
answered with 190 and the AuthError names the account and the env var holding it (errors.py).
"""

from __future__ import annotations

import hashlib
import hmac

from core.redaction import Redactor


class TokenAuth:
    """Adds the access token (and `appsecret_proof` when the app secret is set) to every attempt."""

    def __init__(self, access_token: str, app_secret: str | None, redactor: Redactor):
        self._params = {"access_token": access_token}
        redactor.add_secret(access_token)
        if app_secret:
            redactor.add_secret(app_secret)
            proof = hmac.new(app_secret.encode(), access_token.encode(), hashlib.sha256).hexdigest()
            redactor.add_secret(proof)
            self._params["appsecret_proof"] = proof

    def __call__(self, headers: dict, params: dict) -> None:
        params.update(self._params)
