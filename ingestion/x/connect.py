"""Connecting an X account: OAuth 2.0 authorization code with PKCE, then `GET /2/users/me`.

Scopes: tweet.read users.read offline.access (offline.access yields the refresh token, which X
rotates on every refresh — the store keeps the newest).
"""

from __future__ import annotations

import base64
from datetime import timedelta

import httpx

from ingestion.connect import ConnectError, Exchange, Found, Grant, OAuthApp


def exchange(ex: Exchange) -> Grant:
    form = {"code": ex.code, "grant_type": "authorization_code", "redirect_uri": ex.redirect_uri,
            "code_verifier": ex.verifier or "", "client_id": ex.app.client_id}
    headers = {}
    if ex.app.client_secret:  # confidential client: HTTP Basic
        pair = f"{ex.app.client_id}:{ex.app.client_secret}".encode()
        headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()
    answer = httpx.post(ex.urls["token"], data=form, headers=headers, timeout=30)
    body = answer.json() if answer.content else {}
    if answer.status_code != 200 or "access_token" not in body:
        raise ConnectError(f"X refused the code: {body.get('error_description') or body.get('error') or answer.status_code}")
    return Grant({"user_access_token": body["access_token"], "refresh_token": body.get("refresh_token", "")},
                 ex.now + timedelta(seconds=max(int(body.get("expires_in", 7200)) - 60, 0)))


def discover(grant: Grant, ex: Exchange) -> list[Found]:
    answer = httpx.get(ex.urls["api"] + "/users/me",
                       headers={"Authorization": f"Bearer {grant.secrets['user_access_token']}"}, timeout=30)
    user = (answer.json() or {}).get("data") if answer.status_code == 200 else None
    if not user:
        raise ConnectError(f"X did not say whose token this is (GET /2/users/me answered {answer.status_code})")
    return [Found(user["id"], f"@{user.get('username', user['id'])}", grant.secrets, grant.access_expires_at)]


APP = OAuthApp(platform="x", scopes=("tweet.read", "users.read", "offline.access"), pkce=True,
               app_env={"client_id": "TIDEMARK_X_CLIENT_ID", "client_secret": "TIDEMARK_X_CLIENT_SECRET",
                        "bearer_token": "TIDEMARK_X_BEARER_TOKEN"},
               exchange=exchange, discover=discover, optional_env=("client_secret",))
